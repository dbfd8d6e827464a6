package io.sluice.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job's scale: what it asks for, where that comes from, and what is ready. */
@Schema(name = "Scale")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScaleResponse(
    @Schema(
            description =
                "Replicas (service, stateful) or parallelism (batch, scheduled) in effect; absent while autoscaled",
            example = "3")
        Integer replicas,
    @Schema(description = "Pods ready, for service and stateful workloads", example = "3")
        Integer readyReplicas,
    @Schema(
            description = "Where the count comes from",
            enumeration = {"spec", "scale", "autoscaler", "suspended"})
        String source,
    boolean suspended) {}
