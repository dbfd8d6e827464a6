package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Why one of a job's pods is not doing what it should, as Kubernetes reported it: the scheduler's
 * verdict, a container's waiting reason, or how its last run ended.
 */
@Schema(name = "PodIssue")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodIssue(
    @Schema(example = "warehouse-0") String pod,
    @Schema(description = "Container, when the issue is a container's", example = "main")
        String container,
    @Schema(
            description =
                "Kubernetes' reason: Unschedulable, ImagePullBackOff, ErrImagePull,"
                    + " CreateContainerConfigError, CrashLoopBackOff, OOMKilled, Error, Evicted...",
            example = "CreateContainerConfigError")
        String reason,
    @Schema(example = "secret \"warehouse-credentials\" not found") String message,
    @Schema(description = "Exit code of the container's last termination", example = "137")
        Integer exitCode,
    @Schema(description = "Times the container was restarted", example = "3") Integer restarts) {

  /** The issue in plain words, for a status message. */
  public String describe() {
    StringBuilder s = new StringBuilder("pod ").append(pod).append(": ").append(reason);
    if (message != null && !message.isBlank()) {
      s.append(" (").append(message).append(')');
    }
    if (exitCode != null) {
      s.append(", exit code ").append(exitCode);
    }
    if (restarts != null && restarts > 0) {
      s.append(", restarted ").append(restarts).append(restarts == 1 ? " time" : " times");
    }
    return s.toString();
  }
}
