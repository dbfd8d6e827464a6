package io.sluice.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.job.PodIssue;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One of a job's pods, as {@code kubectl get pods} shows it, with why it is stuck if it is. */
@Schema(name = "Pod")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodView(
    @Schema(example = "warehouse-0") String name,
    @Schema(description = "Kubernetes pod phase", example = "Running") String phase,
    @Schema(
            description =
                "What kubectl's STATUS column shows: Running, Completed, Pending,"
                    + " ContainerCreating, CrashLoopBackOff, ImagePullBackOff, OOMKilled...",
            example = "CrashLoopBackOff")
        String status,
    @Schema(description = "Containers ready", example = "1") int readyContainers,
    @Schema(description = "Containers in the pod", example = "1") int containers,
    @Schema(description = "Restarts of all containers", example = "3") int restarts,
    @Schema(description = "How a container last ended, when one has") Termination lastTermination,
    @Schema(description = "Node the pod runs on", example = "node-3") String node,
    @Schema(description = "Run the pod belongs to (batch and scheduled jobs)") Integer run,
    @Schema(description = "Job revision the pod runs", example = "4") Integer revision,
    OffsetDateTime createdAt,
    @Schema(description = "Why the pod is stuck or failing") List<PodIssue> issues) {

  /** How a container ended. */
  @Schema(name = "ContainerTermination")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Termination(
      @Schema(example = "main") String container,
      @Schema(example = "OOMKilled") String reason,
      @Schema(example = "137") Integer exitCode,
      OffsetDateTime finishedAt) {}
}
