package io.sluice.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/** One immutable revision row; the database refuses updates and deletes of it. */
@Entity
@Table(name = "job_revisions")
@IdClass(JobRevisionEntity.Key.class)
@Immutable
public class JobRevisionEntity {
  @Id
  @Column(name = "job_id")
  public UUID jobId;

  @Id public int revision;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  public String spec;

  @Column(name = "spec_hash", nullable = false)
  public String specHash;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "change_cause")
  public String changeCause;

  @Column(name = "rollback_of")
  public Integer rollbackOf;

  /** True for a rollback Sluice made by itself after a rollout deadline passed. */
  @Column(nullable = false)
  public boolean automatic;

  /** Composite key: job and revision number. */
  public record Key(UUID jobId, int revision) implements Serializable {
    public Key() {
      this(null, 0);
    }
  }
}
