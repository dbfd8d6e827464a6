package io.sluice.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicUpdate;

/** A run row. The API creates and cancels runs; the observer moves them through their phases. */
@Entity
@Table(name = "runs")
@DynamicUpdate
public class RunEntity {
  @Id public UUID id;

  @Column(name = "job_id", nullable = false)
  public UUID jobId;

  @Column(nullable = false)
  public int number;

  @Column(nullable = false)
  public String namespace;

  @Column(name = "job_name", nullable = false)
  public String jobName;

  @Column(nullable = false)
  public int revision;

  @Column(name = "k8s_name", nullable = false)
  public String k8sName;

  @Column(nullable = false)
  public String trigger;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  public String overrides;

  @Column(nullable = false)
  @Enumerated(EnumType.STRING)
  public RunPhase phase;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "submitted_at")
  public Instant submittedAt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(nullable = false)
  public int attempts;

  /** What the run's pods report as wrong (JSON), written by the status observer. */
  @Column(name = "pod_issues", columnDefinition = "jsonb", insertable = false, updatable = false)
  public String podIssues;

  public String reason;

  public String message;

  @Column(name = "exit_code")
  public Integer exitCode;

  @Column(name = "cleaned_up", nullable = false)
  public boolean cleanedUp;

  /** Set for an attempt of a pipeline step: the pipeline, its run number, the step, the attempt. */
  @Column(name = "pipeline_name", insertable = false, updatable = false)
  public String pipelineName;

  @Column(name = "pipeline_run", insertable = false, updatable = false)
  public Integer pipelineRun;

  @Column(name = "pipeline_step", insertable = false, updatable = false)
  public String pipelineStep;

  @Column(name = "step_attempt", insertable = false, updatable = false)
  public Integer stepAttempt;
}
