package io.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A pipeline as the API shows it: identity, current spec, schedule state and its latest run. */
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
@Schema(name = "Pipeline")
public record PipelineResponse(
    @Schema(example = "01939c4e-8a9b-7c2d-9e1f-3a4b5c6d7e8f") UUID id,
    @Schema(example = "data") String namespace,
    @Schema(example = "clickstream-daily") String name,
    @Schema(description = "Number of the current revision", example = "2") int revision,
    @Schema(description = "Version of the pipeline; the ETag", example = "3") long version,
    PipelineSpec spec,
    Status status,
    @Schema(example = "alice") String createdBy,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  @Schema(name = "PipelineStatus")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(
      @Schema(description = "The schedule is suspended (manual runs still start)")
          boolean suspended,
      @Schema(description = "When the schedule next starts a run") OffsetDateTime nextScheduledAt,
      @Schema(description = "Number of the newest run", example = "12") Integer lastRun,
      @Schema(description = "Phase of the newest run") io.sluice.run.RunPhase lastRunPhase) {}
}
