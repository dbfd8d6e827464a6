package io.sluice.pod;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job's pods and the Kubernetes Events about its objects. */
@Schema(name = "PodList")
public record PodList(
    @Schema(description = "The job's pods, by name") List<PodView> items,
    @Schema(description = "Kubernetes Events about the job's objects, newest first (at most 100)")
        List<ClusterEvent> events) {}
