package io.sluice.audit;

/** Names of audited actions, as they appear in the {@code action} field of events. */
public final class Actions {
  private Actions() {}

  public static final String JOB_CREATED = "job.created";
  public static final String JOB_UPDATED = "job.updated";
  public static final String JOB_DELETED = "job.deleted";
}
