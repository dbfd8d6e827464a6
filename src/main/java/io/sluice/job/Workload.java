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
  STATEFUL,
  /** Batch on Spark: each run is one SparkApplication of the Kubeflow Spark operator. */
  SPARK,
  /** A long-running Flink job: one FlinkDeployment of the Apache Flink Kubernetes operator. */
  FLINK;

  @JsonValue
  public String value() {
    return name().toLowerCase();
  }

  /** Runs until stopped and is ready or not: service, stateful and flink. */
  public boolean isLongRunning() {
    return this == SERVICE || this == STATEFUL || this == FLINK;
  }

  /** Runs to completion, run by run: batch, scheduled and spark. */
  public boolean isBatch() {
    return this == BATCH || this == SCHEDULED || this == SPARK;
  }

  /** Driven through another operator's custom resource rather than pods Sluice describes. */
  public boolean isEngine() {
    return this == SPARK || this == FLINK;
  }

  /** Rendered into pods of Sluice's own (Jobs, CronJobs, Deployments, StatefulSets). */
  public boolean isPods() {
    return !isEngine();
  }

  @Override
  public String toString() {
    return value();
  }
}
