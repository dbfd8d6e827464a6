package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which database failures are "come back later" (503 with Retry-After) rather than a bug (500): the
 * SQL state decides, wherever the driver's exception sits in the chain.
 */
class ProblemMapperTest {

  private static StoreException failed(String sqlState) {
    return new StoreException("Could not read jobs", new SQLException("from the driver", sqlState));
  }

  @Test
  void aLostConnectionAShutdownOrAStatementTimeoutIsUnavailable() {
    assertTrue(ProblemMapper.isConnectionFailure(failed("08006"))); // connection_failure
    assertTrue(ProblemMapper.isConnectionFailure(failed("57P01"))); // admin_shutdown
    assertTrue(ProblemMapper.isConnectionFailure(failed("57014"))); // statement_timeout
    assertTrue(
        ProblemMapper.isConnectionFailure(
            new java.sql.SQLTransientConnectionException("pool exhausted")));
  }

  @Test
  void anyOtherStatementFailureIsNot() {
    assertFalse(ProblemMapper.isConnectionFailure(failed("23505"))); // unique_violation
    assertFalse(ProblemMapper.isConnectionFailure(failed("42P01"))); // undefined_table
    assertFalse(ProblemMapper.isConnectionFailure(failed(null)));
    assertFalse(ProblemMapper.isConnectionFailure(new IllegalStateException("no cause")));
  }

  /** The log says what Sluice was doing, however deep a failed commit wrapped it. */
  @Test
  void theLogNamesWhatFailedFromTheStoreExceptionInTheChain() {
    RuntimeException commit =
        new RuntimeException(
            "Error invoking subclass method",
            new jakarta.transaction.RollbackException("ARJUNA016053"));
    commit.getCause().initCause(failed("57014"));
    assertEquals("Could not read jobs: from the driver", ProblemMapper.whatFailed(commit));
    assertEquals("pool exhausted", ProblemMapper.whatFailed(new SQLException("pool exhausted")));
  }
}
