package io.sluice.job;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A job row. Only the service layer sees it; the API sees {@link JobResponse}. Updates write only
 * changed columns so the API and the reconciler, which own different columns, never overwrite each
 * other.
 */
@Entity
@Table(name = "jobs")
@DynamicUpdate
public class JobEntity {
  @Id public UUID id;

  @Column(nullable = false)
  public String namespace;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  @Convert(converter = EnumColumns.TypeColumn.class)
  public JobType type;

  @Column(nullable = false)
  @Convert(converter = EnumColumns.WorkloadColumn.class)
  public Workload workload;

  @Column(name = "current_revision", nullable = false)
  public int currentRevision;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  public String spec;

  @Column(name = "spec_hash", nullable = false)
  public String specHash;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  public String labels;

  @Version public long version;

  @Column(nullable = false)
  @Enumerated(EnumType.STRING)
  public JobPhase phase;

  public String message;

  @Column(name = "applied_revision")
  public Integer appliedRevision;

  @Column(name = "last_seen")
  public Instant lastSeen;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  @Column(name = "deleted_by")
  public String deletedBy;

  @Column(name = "purge_volumes", nullable = false)
  public boolean purgeVolumes;

  /** Bumped by every change the cluster must follow; see {@link #touch}. */
  @Column(nullable = false)
  public long generation;

  @Column(name = "next_reconcile_at", nullable = false)
  public Instant nextReconcileAt;

  @Column(name = "next_run_number", nullable = false)
  public int nextRunNumber;

  @Column(nullable = false, columnDefinition = "jsonb", insertable = false, updatable = false)
  public String conditions;

  @Column(name = "ready_replicas", insertable = false, updatable = false)
  public Integer readyReplicas;

  @Column(name = "desired_replicas", insertable = false, updatable = false)
  public Integer desiredReplicas;

  /** Replicas (or batch parallelism) set by a scale call; survives spec updates. */
  @Column(name = "scale_replicas")
  public Integer scaleReplicas;

  @Column(nullable = false)
  public boolean suspended;

  @Column(name = "last_stable_revision", insertable = false, updatable = false)
  public Integer lastStableRevision;

  /** What the pods report as wrong (JSON), written by the status observer. */
  @Column(name = "pod_issues", columnDefinition = "jsonb", insertable = false, updatable = false)
  public String podIssues;

  /** Marks the desired state changed: the reconciler picks the job up right away. */
  public void touch(Instant now) {
    generation++;
    nextReconcileAt = now;
  }
}
