package io.sluice.pipeline;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/namespaces/{ns}/pipelines}. */
@Schema(
    name = "CreatePipelineRequest",
    description =
        "A new pipeline. The namespace comes from the path; if the body names one, it must match.")
public record CreatePipelineRequest(
    @Schema(
            description = "DNS-1123 label, unique among the namespace's pipelines",
            example = "clickstream-daily",
            required = true)
        @NotNull
        String name,
    @Schema(description = "Must equal the namespace in the path when given", example = "data")
        String namespace,
    @Schema(required = true) @NotNull @Valid PipelineSpec spec,
    @Schema(description = "Why; kept on revision 1", example = "first version") @Size(max = 1024)
        String changeCause) {}
