package io.sluice.audit;

/** Names of audited actions, as they appear in the {@code action} field of events. */
public final class Actions {
  private Actions() {}

  public static final String JOB_CREATED = "job.created";
  public static final String JOB_UPDATED = "job.updated";
  public static final String JOB_DELETED = "job.deleted";
  public static final String JOB_APPLIED = "job.applied";
  public static final String JOB_APPLY_FAILED = "job.apply-failed";
  public static final String JOB_PURGED = "job.purged";
  public static final String JOB_SCALED = "job.scaled";
  public static final String JOB_SUSPENDED = "job.suspended";
  public static final String JOB_RESUMED = "job.resumed";
  public static final String JOB_ROLLED_BACK = "job.rolled-back";
  public static final String JOB_AUTO_ROLLED_BACK = "job.auto-rolled-back";
  public static final String RUN_CREATED = "run.created";
  public static final String RUN_STARTED = "run.started";
  public static final String RUN_SUCCEEDED = "run.succeeded";
  public static final String RUN_FAILED = "run.failed";
  public static final String RUN_CANCELLED = "run.cancelled";

  /** The actor of actions Sluice takes by itself (reconciling, observing). */
  public static final String SYSTEM_ACTOR = "sluice";
}
