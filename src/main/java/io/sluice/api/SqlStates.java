package io.sluice.api;

/** PostgreSQL error codes Sluice turns into answers, named once. */
public final class SqlStates {
  private SqlStates() {}

  /** unique_violation: a unique index refused the row (a name already taken). */
  public static final String UNIQUE_VIOLATION = "23505";

  /**
   * deadlock_detected: PostgreSQL aborted this statement to break a lock cycle; it may be retried.
   */
  public static final String DEADLOCK_DETECTED = "40P01";
}
