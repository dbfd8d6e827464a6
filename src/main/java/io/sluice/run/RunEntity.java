package io.sluice.run;

import java.time.Instant;
import java.util.UUID;

/**
 * A run row ({@link RunRows} reads and inserts it). The API creates and cancels runs; the observer
 * moves them through their phases.
 */
public class RunEntity {
  public UUID id;
  public UUID jobId;
  public int number;
  public String namespace;
  public String jobName;
  public int revision;
  public String k8sName;
  public String trigger;
  public String overrides;
  public RunPhase phase;
  public Instant createdAt;
  public String createdBy;
  public Instant submittedAt;
  public Instant startedAt;
  public Instant finishedAt;
  public int attempts;

  /** What the run's pods report as wrong (JSON), written by the status observer. */
  public String podIssues;

  public String reason;
  public String message;
  public Integer exitCode;
  public boolean cleanedUp;

  /** Set for an attempt of a pipeline step: the pipeline, its run number, the step, the attempt. */
  public String pipelineName;

  public Integer pipelineRun;
  public String pipelineStep;
  public Integer stepAttempt;
}
