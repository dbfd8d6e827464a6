package io.sluice.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A run as the API shows it. */
@Schema(name = "Run")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResponse(
    UUID id,
    @Schema(example = "data") String namespace,
    @Schema(example = "clickstream-ingest") String job,
    @Schema(description = "Run number, counted per job", example = "7") int number,
    @Schema(description = "Job revision the run executes", example = "3") int revision,
    RunPhase phase,
    @Schema(enumeration = {"manual", "schedule", "pipeline"}) String trigger,
    @Schema(
            description =
                "Name of the run's Kubernetes Job (its SparkApplication, for a spark job)",
            example = "clickstream-ingest-7")
        String kubernetesJob,
    CreateRunRequest overrides,
    @Schema(example = "alice") String createdBy,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    @Schema(description = "Pods started so far") int attempts,
    @Schema(example = "BackoffLimitExceeded") String reason,
    @Schema(description = "Why the run is stuck or failed, in words") String message,
    Integer exitCode,
    @Schema(description = "Why the run's pods are stuck or failing (at most 10)")
        java.util.List<io.sluice.job.PodIssue> podIssues,
    @Schema(description = "The pipeline run this run is an attempt of a step of, if any")
        PipelineRunRef pipelineRun) {

  /** Where a run started by a pipeline belongs: .../pipelines/{pipeline}/runs/{number}. */
  @Schema(name = "PipelineRunRef")
  public record PipelineRunRef(
      @Schema(example = "clickstream-daily") String pipeline,
      @Schema(example = "7") int number,
      @Schema(example = "load") String step,
      @Schema(description = "Attempt of the step", example = "2") int attempt) {}
}
