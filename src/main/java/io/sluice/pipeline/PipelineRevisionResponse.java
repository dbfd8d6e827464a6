package io.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One immutable, numbered snapshot of a pipeline's spec. */
@Schema(name = "PipelineRevision")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineRevisionResponse(
    @Schema(example = "2") int revision,
    PipelineSpec spec,
    @Schema(example = "alice") String createdBy,
    OffsetDateTime createdAt,
    @Schema(example = "add a check step") String changeCause,
    @Schema(description = "Revision whose spec this one copies, when it is a rollback")
        Integer rollbackOf) {}
