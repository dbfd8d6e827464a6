package io.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.run.RunPhase;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A pipeline run: its DAG with each step's phase and attempts. */
@Schema(name = "PipelineRun")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineRunResponse(
    @Schema(example = "7") int number,
    @Schema(example = "clickstream-daily") String pipeline,
    @Schema(description = "The pipeline revision the run pinned", example = "2") int revision,
    @Schema(enumeration = {"manual", "schedule"}) String trigger,
    RunPhase phase,
    @Schema(description = "1, plus one per retry of the run", example = "1") int attempt,
    @Schema(description = "Parameter values the run uses, defaults filled in")
        Map<String, String> parameters,
    @Schema(example = "alice") String createdBy,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    @Schema(example = "StepFailed") String reason,
    @Schema(example = "step 'load' failed: BackoffLimitExceeded") String message,
    List<Step> steps) {

  /** One step of the run. */
  @Schema(name = "PipelineRunStep")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
      @Schema(example = "load") String name,
      @Schema(description = "The job a job step runs") String job,
      @Schema(description = "The job an awaitReady step waits for") String awaitReady,
      @Schema(description = "The job revision the next attempt runs", example = "4")
          Integer revision,
      List<String> dependsOn,
      PipelineSpec.When when,
      StepPhase phase,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      @Schema(description = "When the next attempt starts, during a retry's backoff")
          OffsetDateTime nextAttemptAt,
      @Schema(example = "BackoffLimitExceeded") String reason,
      String message,
      @Schema(description = "Every attempt, oldest first; each is a run of the step's job")
          List<Attempt> attempts) {}

  /** One attempt of a job step: an ordinary run of its job. */
  @Schema(name = "PipelineRunAttempt")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attempt(
      @Schema(example = "2") int attempt,
      @Schema(description = "The job's run number; see .../jobs/{job}/runs/{run}", example = "31")
          int run,
      @Schema(description = "The job revision it ran", example = "4") int revision,
      RunPhase phase,
      OffsetDateTime createdAt,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      String reason,
      String message) {}
}
