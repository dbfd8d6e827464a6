package io.sluice.job;

import java.time.Instant;
import java.util.UUID;

/**
 * A job row, read and written by {@link JobRows}. Only the service layer sees it; the API sees
 * {@link JobResponse}. Saving writes only the columns changed since the row was read, so the API
 * and the reconciler, which own different columns, never overwrite each other.
 */
public class JobEntity {
  public UUID id;
  public String namespace;
  public String name;
  public JobType type;
  public Workload workload;
  public int currentRevision;
  public String spec;
  public String specHash;
  public String labels;

  public long version;
  public JobPhase phase;

  public String message;
  public Integer appliedRevision;
  public Instant lastSeen;
  public Instant createdAt;
  public String createdBy;
  public Instant updatedAt;
  public Instant deletedAt;
  public String deletedBy;
  public boolean purgeVolumes;

  /** Bumped by every change the cluster must follow; see {@link #touch}. */
  public long generation;

  public Instant nextReconcileAt;
  public int nextRunNumber;
  public String conditions;
  public Integer readyReplicas;
  public Integer desiredReplicas;

  /** Replicas (or batch parallelism) set by a scale call; survives spec updates. */
  public Integer scaleReplicas;

  public boolean suspended;
  public Integer lastStableRevision;

  /** What the pods report as wrong (JSON), written by the status observer. */
  public String podIssues;

  /** The values of the columns the API writes, as read for update; null for any other read. */
  Object[] loaded;

  /** Marks the desired state changed: the reconciler picks the job up right away. */
  public void touch(Instant now) {
    generation++;
    nextReconcileAt = now;
  }
}
