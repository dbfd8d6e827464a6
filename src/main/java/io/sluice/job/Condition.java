package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One aspect of a job's state, Kubernetes-style: Applied, Ready. */
@Schema(name = "Condition")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @Schema(example = "Applied") String type,
    @Schema(enumeration = {"True", "False", "Unknown"}) String status,
    @Schema(example = "KubernetesApiError") String reason,
    String message,
    OffsetDateTime lastTransitionTime) {}
