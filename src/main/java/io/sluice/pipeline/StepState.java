package io.sluice.pipeline;

import io.sluice.job.JobPhase;
import io.sluice.run.RunPhase;
import java.time.Instant;

/**
 * One step of a pipeline run as a pass of the engine sees it and leaves it. Mutable on purpose:
 * {@link Advance} moves it, the store writes the steps whose {@link #changed} is set.
 */
final class StepState {
  final String name;
  StepPhase phase;
  int attempts;
  int retriesUsed;
  Instant startedAt;
  Instant finishedAt;
  Instant nextAttemptAt;
  String reason;
  String message;

  /** The newest attempt's run, for a job step that has one. */
  Latest latest;

  /** The job the run pinned for this step (null if none existed), and its revision. */
  java.util.UUID jobId;

  int jobRevision;

  /** The job the step names, as it is now. */
  JobState job;

  boolean changed;

  /** Set by {@link Advance} when this pass starts a new attempt (a run of the job). */
  boolean start;

  /** Set when the running attempt's run must be cancelled, with the reason to record. */
  String cancelAttempt;

  StepState(String name, StepPhase phase) {
    this.name = name;
    this.phase = phase;
  }

  /** The newest attempt: its number, its run's phase, when it was created, and why it ended. */
  record Latest(
      int attempt, int run, RunPhase phase, Instant createdAt, String reason, String message) {}

  /**
   * The step's job now: whether it is live (it is the job the run pinned), suspended, and its phase
   * for an awaitReady step. {@code missing} says why a job step cannot start.
   */
  record JobState(boolean live, boolean suspended, JobPhase phase, String message, String missing) {
    static final JobState GONE = new JobState(false, false, null, null, null);
  }

  void move(StepPhase to, String reason, String message) {
    this.phase = to;
    this.reason = reason;
    this.message = message;
    this.changed = true;
  }

  boolean terminal() {
    return phase.isTerminal();
  }
}
