package io.sluice.pipeline;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT .../pipelines/{name}}: the whole new spec. */
@Schema(
    name = "UpdatePipelineRequest",
    description = "Replaces the pipeline's spec; writes a new revision unless nothing changed")
public record UpdatePipelineRequest(
    @Schema(required = true) @NotNull @Valid PipelineSpec spec,
    @Schema(description = "Why the spec changes; kept on the new revision", example = "add a check")
        @Size(max = 1024)
        String changeCause) {}
