package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a job runs on Kubernetes; decides which objects it is rendered into. */
public enum Workload {
  /** Run to completion, one Kubernetes Job per run. */
  BATCH,
  /** Batch on a cron schedule (CronJob). */
  SCHEDULED,
  /** Long-running and scalable (Deployment). */
  SERVICE,
  /** Long-running with per-replica storage (StatefulSet). */
  STATEFUL;

  @JsonValue
  public String value() {
    return name().toLowerCase();
  }

  public boolean isLongRunning() {
    return this == SERVICE || this == STATEFUL;
  }

  public boolean isBatch() {
    return this == BATCH || this == SCHEDULED;
  }

  @Override
  public String toString() {
    return value();
  }
}
