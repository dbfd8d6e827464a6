package io.sluice.job;

/** Where a job stands between what PostgreSQL says it should be and what the cluster has. */
public enum JobPhase {
  /** Stored, not yet applied to the cluster. */
  PENDING,
  /** Applied; the workload is rolling out or a run is active. */
  PROGRESSING,
  /** Applied and, for long-running workloads, all replicas ready. */
  READY,
  /** Applied but the cluster refused something or the workload is unhealthy; see message. */
  DEGRADED,
  /** Scaled to zero or suspended by a user. */
  SUSPENDED,
  /** Deleted by a user; its Kubernetes objects are being removed. */
  DELETING
}
