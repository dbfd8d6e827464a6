package io.sluice.job;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT .../jobs/{name}}: the whole new spec. Type and workload are immutable. */
@Schema(
    name = "UpdateJobRequest",
    description = "Replaces the job's spec; writes a new revision unless nothing changed")
public record UpdateJobRequest(
    @Schema(required = true) @NotNull @Valid JobSpec spec,
    @Schema(
            description = "Why the spec changes; kept on the new revision",
            example = "bump image to 1.5.0")
        @Size(max = 1024)
        String changeCause) {}
