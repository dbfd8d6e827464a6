package io.sluice.job;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/namespaces/{ns}/jobs}. */
@Schema(
    name = "CreateJobRequest",
    description =
        "A new job. The namespace comes from the path; if the body names one, it must match.")
public record CreateJobRequest(
    @Schema(
            description = "DNS-1123 label, unique in the namespace, at most 40 characters",
            example = "clickstream-ingest",
            required = true)
        @NotNull
        String name,
    @Schema(description = "Must equal the namespace in the path when given", example = "data")
        String namespace,
    @Schema(required = true, example = "ingestion") @NotNull JobType type,
    @Schema(
            description =
                "Defaults by type: ingestion and processing run as batch, storage as stateful",
            example = "batch")
        Workload workload,
    @Schema(required = true) @NotNull @Valid JobSpec spec,
    @Schema(description = "Why this job is created; kept on revision 1", example = "initial import")
        @Size(max = 1024)
        String changeCause) {}
