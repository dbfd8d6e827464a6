package io.sluice.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/** One audit record. Written once, in the same transaction as the change it describes. */
@Entity
@Table(name = "audit_events")
@Immutable
public class AuditEventEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "job_id")
  public UUID jobId;

  @Column(nullable = false)
  public String namespace;

  @Column(name = "job_name")
  public String jobName;

  @Column(nullable = false)
  public Instant at;

  @Column(nullable = false)
  public String actor;

  @Column(name = "actor_name")
  public String actorName;

  @Column(nullable = false)
  public String action;

  @Column(nullable = false)
  public String outcome;

  public Integer revision;

  public String message;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  public String details;
}
