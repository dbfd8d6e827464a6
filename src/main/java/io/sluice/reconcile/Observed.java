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

  /**
   * How ready a long-running job is, whatever runs it: a Deployment's or StatefulSet's replicas, or
   * a Flink job's state. What the job's status is written from.
   */
  public interface Readiness {
    JobPhase phase();

    String message();

    int ready();

    int desired();

    List<io.sluice.job.PodIssue> issues();

    /** The controller or operator gave up: the reconciler decides now (automatic rollback). */
    boolean failed();
  }

  /**
   * How far a Deployment or StatefulSet has rolled out, with the rule {@code kubectl rollout
   * status} applies: complete only when the controller has observed the current generation and
   * every replica is updated and available with no old replica left (for a StatefulSet: ready, and
   * its current revision is the update revision). Old replicas that are still ready while new ones
   * fail (a surge) are not a finished rollout.
   *
   * @param updated replicas of the current template; 0 while the controller has not observed it
   * @param available replicas available (ready for minReadySeconds)
   * @param total every replica, old and new
   * @param oldRevisionLeft a StatefulSet whose current revision is not yet its update revision
   * @param failure why the controller gave up on the rollout (ProgressDeadlineExceeded), or null
   */
  public record Replicas(
      int desired,
      int ready,
      int updated,
      int available,
      int total,
      boolean oldRevisionLeft,
      String failure,
      List<io.sluice.job.PodIssue> issues)
      implements Readiness {

    Replicas(
        int desired,
        int ready,
        int updated,
        int available,
        int total,
        boolean oldRevisionLeft,
        String failure) {
      this(desired, ready, updated, available, total, oldRevisionLeft, failure, List.of());
    }

    /** These replicas, with what their pods report as wrong. */
    public Replicas withIssues(List<io.sluice.job.PodIssue> found) {
      return new Replicas(
          desired, ready, updated, available, total, oldRevisionLeft, failure, List.copyOf(found));
    }

    /** Every replica updated and available, and no old one left. */
    public boolean rolledOut() {
      return updated >= desired && available >= desired && total <= updated && !oldRevisionLeft;
    }

    /** The controller itself reported the rollout failed (its progress deadline passed). */
    @Override
    public boolean failed() {
      return failure != null;
    }

    public JobPhase phase() {
      if (desired == 0) {
        return JobPhase.SUSPENDED;
      }
      if (rolledOut()) {
        return JobPhase.READY;
      }
      return failed() ? JobPhase.DEGRADED : JobPhase.PROGRESSING;
    }

    /** The phase in plain words, with the first pod issue when the job is not ready. */
    public String message() {
      String base = counts();
      String why = PodIssues.summary(issues);
      return why == null || phase() == JobPhase.READY ? base : base + "; " + why;
    }

    private String counts() {
      String counts = ready + "/" + desired + " replicas ready";
      return switch (phase()) {
        case SUSPENDED -> "Scaled to zero";
        case READY -> counts;
        case DEGRADED -> counts + ", " + updated + " updated; rollout failed: " + failure;
        default ->
            counts
                + ", "
                + updated
                + " updated"
                + (total > updated ? ", " + (total - updated) + " old still running" : "")
                + "; rolling out";
      };
    }
  }

  public static Replicas replicas(Deployment d) {
    var status = d.getStatus();
    if (status == null) {
      return new Replicas(nz(d.getSpec().getReplicas(), 1), 0, 0, 0, 0, false, null);
    }
    boolean current = observed(d, status.getObservedGeneration());
    return new Replicas(
        nz(d.getSpec().getReplicas(), 1),
        nz(status.getReadyReplicas(), 0),
        current ? nz(status.getUpdatedReplicas(), 0) : 0,
        nz(status.getAvailableReplicas(), 0),
        nz(status.getReplicas(), 0),
        false,
        current ? progressDeadlineExceeded(status.getConditions()) : null);
  }

  public static Replicas replicas(StatefulSet s) {
    var status = s.getStatus();
    if (status == null) {
      return new Replicas(nz(s.getSpec().getReplicas(), 1), 0, 0, 0, 0, false, null);
    }
    boolean current = observed(s, status.getObservedGeneration());
    int ready = nz(status.getReadyReplicas(), 0);
    boolean oldLeft =
        status.getUpdateRevision() != null
            && !status.getUpdateRevision().equals(status.getCurrentRevision());
    return new Replicas(
        nz(s.getSpec().getReplicas(), 1),
        ready,
        current ? nz(status.getUpdatedReplicas(), 0) : 0,
        // A StatefulSet's rollout waits for ready replicas (availableReplicas is newer).
        status.getAvailableReplicas() == null ? ready : status.getAvailableReplicas(),
        nz(status.getReplicas(), 0),
        oldLeft,
        null);
  }

  /**
   * Until the controller has observed the workload's current generation, its counts describe the
   * previous template: nothing counts as updated yet.
   */
  private static boolean observed(
      io.fabric8.kubernetes.api.model.HasMetadata workload, Long observedGeneration) {
    Long generation = workload.getMetadata().getGeneration();
    return observedGeneration != null && (generation == null || observedGeneration >= generation);
  }

  /** The Deployment controller's verdict: condition Progressing=False, ProgressDeadlineExceeded. */
  private static String progressDeadlineExceeded(
      List<io.fabric8.kubernetes.api.model.apps.DeploymentCondition> conditions) {
    if (conditions == null) {
      return null;
    }
    for (var c : conditions) {
      if ("Progressing".equals(c.getType())
          && "False".equals(c.getStatus())
          && "ProgressDeadlineExceeded".equals(c.getReason())) {
        return "ProgressDeadlineExceeded"
            + (c.getMessage() == null || c.getMessage().isBlank()
                ? ""
                : " (" + c.getMessage() + ")");
      }
    }
    return null;
  }

  /** Where a run stands according to its Kubernetes Job (and its pods, for exit codes). */
  public record RunStatus(
      RunPhase phase,
      Instant startedAt,
      Instant finishedAt,
      int attempts,
      String reason,
      String message,
      Integer exitCode,
      List<io.sluice.job.PodIssue> issues) {

    public RunStatus(
        RunPhase phase,
        Instant startedAt,
        Instant finishedAt,
        int attempts,
        String reason,
        String message,
        Integer exitCode) {
      this(phase, startedAt, finishedAt, attempts, reason, message, exitCode, List.of());
    }

    /**
     * This status with what the run's pods report as wrong: a run still under way takes the first
     * issue as its reason and their summary as its message; an ended one keeps its own.
     */
    public RunStatus withIssues(List<io.sluice.job.PodIssue> found) {
      if (found.isEmpty()) {
        return this;
      }
      return phase.isTerminal()
          ? new RunStatus(phase, startedAt, finishedAt, attempts, reason, message, exitCode, found)
          : new RunStatus(
              phase,
              startedAt,
              finishedAt,
              attempts,
              found.get(0).reason(),
              PodIssues.summary(found),
              exitCode,
              found);
    }
  }

  /**
   * Where a run stands, and why its pods are stuck when they are: a run PENDING or RUNNING whose
   * pod cannot be scheduled, pulled or configured says so in its reason and message.
   */
  public static RunStatus run(Job job, List<Pod> pods) {
    RunStatus base = bareRun(job, pods);
    List<io.sluice.job.PodIssue> issues = PodIssues.of(pods);
    return base.withIssues(issues);
  }

  private static RunStatus bareRun(Job job, List<Pod> pods) {
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
            (message == null ? "" : message + "; ")
                + "container ended: "
                + exit.get().getReason()
                + (exit.get().getExitCode() == null
                    ? ""
                    : " (exit code " + exit.get().getExitCode() + ")");
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
