package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.sluice.job.JobPhase;
import io.sluice.run.RunPhase;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads status off Kubernetes objects: how ready a workload is, where a run's Job stands. Pure
 * functions of the objects, shared by the reconciler and the status observer.
 */
public final class Observed {
  private Observed() {}

  /** Readiness of a Deployment or StatefulSet. */
  public record Replicas(int desired, int ready, Integer updated) {
    public JobPhase phase() {
      if (desired == 0) {
        return JobPhase.SUSPENDED;
      }
      boolean rolledOut = updated == null || updated >= desired;
      return ready >= desired && rolledOut ? JobPhase.READY : JobPhase.PROGRESSING;
    }

    public String message() {
      return switch (phase()) {
        case SUSPENDED -> "Scaled to zero";
        case READY -> ready + "/" + desired + " replicas ready";
        default ->
            ready
                + "/"
                + desired
                + " replicas ready"
                + (updated == null ? "" : ", " + updated + " updated")
                + "; rolling out";
      };
    }
  }

  public static Replicas replicas(Deployment d) {
    var status = d.getStatus();
    return replicas(
        d,
        d.getSpec().getReplicas(),
        status == null ? null : status.getReadyReplicas(),
        status == null ? null : status.getUpdatedReplicas(),
        status == null ? null : status.getObservedGeneration());
  }

  public static Replicas replicas(StatefulSet s) {
    var status = s.getStatus();
    return replicas(
        s,
        s.getSpec().getReplicas(),
        status == null ? null : status.getReadyReplicas(),
        status == null ? null : status.getUpdatedReplicas(),
        status == null ? null : status.getObservedGeneration());
  }

  /**
   * Until the controller has observed the workload's current generation, its counts describe the
   * previous template: nothing counts as updated yet.
   */
  private static Replicas replicas(
      io.fabric8.kubernetes.api.model.HasMetadata workload,
      Integer desired,
      Integer ready,
      Integer updated,
      Long observedGeneration) {
    Long generation = workload.getMetadata().getGeneration();
    boolean stale =
        generation != null && observedGeneration != null && observedGeneration < generation;
    return new Replicas(
        nz(desired, 1),
        nz(ready, 0),
        stale
            ? Integer.valueOf(0)
            : (ready == null && updated == null ? Integer.valueOf(0) : updated));
  }

  /** Where a run stands according to its Kubernetes Job (and its pods, for exit codes). */
  public record RunStatus(
      RunPhase phase,
      Instant startedAt,
      Instant finishedAt,
      int attempts,
      String reason,
      String message,
      Integer exitCode) {}

  public static RunStatus run(Job job, List<Pod> pods) {
    var status = job.getStatus();
    if (status == null) {
      return new RunStatus(RunPhase.PENDING, null, null, 0, null, null, null);
    }
    int attempts =
        nz(status.getActive(), 0) + nz(status.getSucceeded(), 0) + nz(status.getFailed(), 0);
    Instant started = instant(status.getStartTime());
    Optional<JobCondition> complete = condition(job, "Complete");
    if (complete.isPresent()) {
      Instant finished =
          Optional.ofNullable(instant(status.getCompletionTime()))
              .orElse(instant(complete.get().getLastTransitionTime()));
      return new RunStatus(RunPhase.SUCCEEDED, started, finished, attempts, "Completed", null, 0);
    }
    Optional<JobCondition> failed = condition(job, "Failed");
    if (failed.isPresent()) {
      Optional<ContainerStateTerminated> exit = lastTermination(pods);
      String reason = failed.get().getReason() != null ? failed.get().getReason() : "Failed";
      String message = failed.get().getMessage();
      if (exit.isPresent() && exit.get().getReason() != null) {
        message =
            (message == null ? "" : message + "; ") + "container ended: " + exit.get().getReason();
      }
      return new RunStatus(
          RunPhase.FAILED,
          started,
          instant(failed.get().getLastTransitionTime()),
          attempts,
          reason,
          message,
          exit.map(ContainerStateTerminated::getExitCode).orElse(null));
    }
    if (nz(status.getActive(), 0) > 0 || started != null) {
      return new RunStatus(RunPhase.RUNNING, started, null, attempts, null, null, null);
    }
    return new RunStatus(RunPhase.PENDING, null, null, attempts, null, null, null);
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus().getConditions() == null
        ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
  }

  /** The termination of the main container of the most recently terminated pod. */
  private static Optional<ContainerStateTerminated> lastTermination(List<Pod> pods) {
    return pods.stream()
        .sorted(
            Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                .reversed())
        .map(p -> p.getStatus() == null ? null : p.getStatus().getContainerStatuses())
        .filter(s -> s != null && !s.isEmpty())
        .map(s -> s.get(0))
        .map(Observed::terminated)
        .filter(java.util.Objects::nonNull)
        .findFirst();
  }

  private static ContainerStateTerminated terminated(ContainerStatus s) {
    if (s.getState() != null && s.getState().getTerminated() != null) {
      return s.getState().getTerminated();
    }
    return s.getLastState() == null ? null : s.getLastState().getTerminated();
  }

  static Instant instant(String timestamp) {
    try {
      return timestamp == null ? null : Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static int nz(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
