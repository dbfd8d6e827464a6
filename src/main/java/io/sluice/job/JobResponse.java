package io.sluice.job;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job as the API shows it: identity, current spec and the status Sluice last observed. */
@Schema(name = "Job")
public record JobResponse(
    @Schema(example = "01939c4e-8a9b-7c2d-9e1f-3a4b5c6d7e8f") UUID id,
    @Schema(example = "data") String namespace,
    @Schema(example = "clickstream-ingest") String name,
    JobType type,
    Workload workload,
    @Schema(description = "Number of the current revision", example = "3") int revision,
    @Schema(description = "Version of the job's desired state; the ETag", example = "4")
        long version,
    JobSpec spec,
    JobStatus status,
    @Schema(description = "Operational scale state; not part of the spec, changes no revision")
        ScaleState scale,
    @Schema(example = "alice") String createdBy,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** Scale set through the scale endpoint (null: the spec's count applies) and suspension. */
  @Schema(name = "ScaleState")
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record ScaleState(
      @Schema(description = "Replicas or parallelism set by a scale call", example = "5")
          Integer replicas,
      boolean suspended) {}
}
