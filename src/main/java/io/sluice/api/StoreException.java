package io.sluice.api;

/**
 * A PostgreSQL statement failed, wrapped with what Sluice was doing. The cause keeps the driver's
 * {@link java.sql.SQLException}, whose SQL state {@link ProblemMapper} reads: a lost connection is
 * a 503 the caller may retry, anything else an internal error with a reference in the log.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
