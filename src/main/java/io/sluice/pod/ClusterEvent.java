package io.sluice.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A Kubernetes Event about one of a job's objects: what the scheduler, kubelet and controllers said
 * (FailedScheduling, FailedMount, BackOff, Killing...), not Sluice's own audit events.
 */
@Schema(name = "ClusterEvent")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterEvent(
    @Schema(enumeration = {"Normal", "Warning"}) String type,
    @Schema(example = "FailedScheduling") String reason,
    @Schema(example = "0/3 nodes are available: 3 Insufficient memory.") String message,
    @Schema(description = "Kind and name of the object", example = "Pod/warehouse-0") String object,
    @Schema(description = "Who reported it", example = "default-scheduler") String source,
    @Schema(description = "Times it happened", example = "4") int count,
    OffsetDateTime firstSeen,
    OffsetDateTime lastSeen) {}
