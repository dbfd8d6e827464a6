package io.sluice.rollout;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT .../scale}, shaped like the Kubernetes scale subresource's spec. */
@Schema(name = "ScaleRequest")
public record ScaleRequest(
    @Schema(
            description = "Replicas (service, stateful) or parallelism (batch, scheduled)",
            example = "3",
            required = true)
        @NotNull
        Integer replicas) {}
