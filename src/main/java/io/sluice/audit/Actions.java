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
  public static final String PIPELINE_CREATED = "pipeline.created";
  public static final String PIPELINE_UPDATED = "pipeline.updated";
  public static final String PIPELINE_DELETED = "pipeline.deleted";
  public static final String PIPELINE_ROLLED_BACK = "pipeline.rolled-back";
  public static final String PIPELINE_SUSPENDED = "pipeline.suspended";
  public static final String PIPELINE_RESUMED = "pipeline.resumed";
  public static final String PIPELINE_RUN_CREATED = "pipeline.run.created";
  public static final String PIPELINE_RUN_STARTED = "pipeline.run.started";
  public static final String PIPELINE_RUN_SKIPPED = "pipeline.run.skipped";
  public static final String PIPELINE_RUN_CANCELLED = "pipeline.run.cancelled";
  public static final String PIPELINE_RUN_RETRIED = "pipeline.run.retried";

  /** The run ended: {@code pipeline.run.succeeded}, {@code .failed} or {@code .cancelled}. */
  public static final String PIPELINE_RUN_ENDED_PREFIX = "pipeline.run.";

  /** A step moved: {@code pipeline.step.running}, {@code .succeeded}, {@code .failed}... */
  public static final String PIPELINE_STEP_PREFIX = "pipeline.step.";

  /** The actor of actions Sluice takes by itself (reconciling, observing). */
  public static final String SYSTEM_ACTOR = "sluice";
}
