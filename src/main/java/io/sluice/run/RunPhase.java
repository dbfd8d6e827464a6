package io.sluice.run;

/** Where a run stands. SUCCEEDED, FAILED and CANCELLED are terminal: they never change again. */
public enum RunPhase {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
