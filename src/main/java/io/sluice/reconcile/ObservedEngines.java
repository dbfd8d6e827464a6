package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.SparkApplication;
import io.sluice.job.JobPhase;
import io.sluice.job.PodIssue;
import io.sluice.run.RunPhase;
import java.time.Instant;
import java.util.List;

/**
 * Reads status off the engines' custom resources, as their operators write it: where a Spark run
 * stands (from {@code status.applicationState.state}), and how ready a Flink job is (from {@code
 * status.lifecycleState} and {@code status.jobStatus.state}). Pure, like {@link Observed}.
 */
public final class ObservedEngines {
  private ObservedEngines() {}

  /**
   * A run's phase from its SparkApplication. The operator's own retries (restartPolicy OnFailure)
   * pass through FAILING and PENDING_RERUN: the run stays RUNNING until the operator gives up, and
   * the attempts it made are counted.
   */
  public static Observed.RunStatus sparkRun(SparkApplication app, List<Pod> pods) {
    SparkApplication.Status s = app.getStatus();
    String state =
        s == null || s.applicationState == null || s.applicationState.state == null
            ? ""
            : s.applicationState.state;
    String error = s == null || s.applicationState == null ? null : s.applicationState.errorMessage;
    Instant submitted = s == null ? null : Observed.instant(s.lastSubmissionAttemptTime);
    Instant ended = s == null ? null : Observed.instant(s.terminationTime);
    int attempts =
        Math.max(
            s == null || s.executionAttempts == null ? 0 : s.executionAttempts,
            s == null || s.submissionAttempts == null ? 0 : s.submissionAttempts);
    List<PodIssue> issues = PodIssues.of(driverPods(pods));
    return switch (state) {
      case "COMPLETED" ->
          new Observed.RunStatus(
              RunPhase.SUCCEEDED, submitted, orNow(ended), attempts, "Completed", null, 0);
      case "FAILED" ->
          new Observed.RunStatus(
              RunPhase.FAILED,
              submitted,
              orNow(ended),
              attempts,
              "SparkApplicationFailed",
              message("the Spark application failed", error),
              driverExitCode(pods));
      case "SUBMISSION_FAILED" ->
          new Observed.RunStatus(
              RunPhase.FAILED,
              submitted,
              orNow(ended),
              attempts,
              "SubmissionFailed",
              message("spark-submit failed", error),
              null);
      case "RUNNING", "SUCCEEDING" ->
          new Observed.RunStatus(RunPhase.RUNNING, submitted, null, attempts, null, null, null)
              .withIssues(issues);
      case "FAILING", "PENDING_RERUN", "INVALIDATING" ->
          new Observed.RunStatus(
                  RunPhase.RUNNING,
                  submitted,
                  null,
                  attempts,
                  state.equals("PENDING_RERUN") ? "PendingRerun" : "Retrying",
                  message("the operator is retrying the application", error),
                  null)
              .withIssues(issues);
      case "SUBMITTED" ->
          new Observed.RunStatus(RunPhase.RUNNING, submitted, null, attempts, null, null, null)
              .withIssues(issues);
      default ->
          // New (""), UNKNOWN, SUSPENDING/SUSPENDED/RESUMING: not started, or not known to be.
          new Observed.RunStatus(RunPhase.PENDING, null, null, attempts, null, null, null)
              .withIssues(issues);
    };
  }

  private static List<Pod> driverPods(List<Pod> pods) {
    return pods.stream()
        .filter(
            p ->
                p.getMetadata().getLabels() != null
                    && SparkApplication.DRIVER_ROLE.equals(
                        p.getMetadata().getLabels().get(SparkApplication.ROLE_LABEL)))
        .toList();
  }

  private static Integer driverExitCode(List<Pod> pods) {
    for (Pod p : driverPods(pods)) {
      if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
        for (var c : p.getStatus().getContainerStatuses()) {
          if (c.getState() != null && c.getState().getTerminated() != null) {
            return c.getState().getTerminated().getExitCode();
          }
        }
      }
    }
    return null;
  }

  private static String message(String what, String error) {
    return error == null || error.isBlank() ? what : what + ": " + error;
  }

  private static Instant orNow(Instant at) {
    return at != null ? at : Instant.now();
  }

  /**
   * How a Flink job stands: READY once the operator calls the deployment STABLE with the job
   * RUNNING (what counts as a stable revision for rollback); PROGRESSING while it deploys or
   * upgrades (or before it observed the current generation); DEGRADED when the job or the
   * deployment failed, with the operator's error; SUSPENDED when suspended.
   */
  public static FlinkState flink(FlinkDeployment d, List<PodIssue> issues) {
    return state(d, issues).withSavepoint(lastSavepoint(d));
  }

  private static String lastSavepoint(FlinkDeployment d) {
    FlinkDeployment.Status s = d.getStatus();
    return s == null
            || s.jobStatus == null
            || s.jobStatus.savepointInfo == null
            || s.jobStatus.savepointInfo.lastSavepoint == null
        ? null
        : s.jobStatus.savepointInfo.lastSavepoint.location;
  }

  private static FlinkState state(FlinkDeployment d, List<PodIssue> issues) {
    int desired = parallelism(d);
    FlinkDeployment.Status s = d.getStatus();
    boolean suspended =
        d.getSpec() != null && d.getSpec().job != null && "suspended".equals(d.getSpec().job.state);
    if (s == null || s.lifecycleState == null) {
      return new FlinkState(
          suspended ? JobPhase.SUSPENDED : JobPhase.PROGRESSING,
          suspended ? "Suspended" : "Waiting for the Flink operator",
          0,
          desired,
          null,
          issues);
    }
    Long generation = d.getMetadata().getGeneration();
    boolean observed =
        s.observedGeneration == null || generation == null || s.observedGeneration >= generation;
    String lifecycle = s.lifecycleState;
    String job = s.jobStatus == null || s.jobStatus.state == null ? "?" : s.jobStatus.state;
    String error = s.error == null || s.error.isBlank() ? null : s.error;
    String where = "lifecycle " + lifecycle + ", job " + job;
    if (!observed) {
      return new FlinkState(JobPhase.PROGRESSING, "Upgrading: " + where, 0, desired, null, issues);
    }
    if ("SUSPENDED".equals(lifecycle) || (suspended && "SUSPENDED".equals(job))) {
      return new FlinkState(
          JobPhase.SUSPENDED, "Suspended (" + where + ")", 0, desired, null, issues);
    }
    if ("FAILED".equals(lifecycle) || "FAILED".equals(job) || "ROLLED_BACK".equals(lifecycle)) {
      String why = error != null ? error : where;
      return new FlinkState(JobPhase.DEGRADED, "Flink job failed: " + why, 0, desired, why, issues);
    }
    if ("STABLE".equals(lifecycle) && "RUNNING".equals(job)) {
      return new FlinkState(
          JobPhase.READY, "Running at parallelism " + desired, desired, desired, null, issues);
    }
    String message = "Deploying: " + where + (error == null ? "" : "; " + error);
    return new FlinkState(JobPhase.PROGRESSING, message, 0, desired, null, issues);
  }

  private static int parallelism(FlinkDeployment d) {
    return d.getSpec() == null || d.getSpec().job == null || d.getSpec().job.parallelism == null
        ? 1
        : d.getSpec().job.parallelism;
  }

  /** A Flink job's readiness, in the terms of a long-running workload's (replicas: parallelism). */
  public record FlinkState(
      JobPhase phase, String message, int ready, int desired, String failure, List<PodIssue> issues)
      implements Observed.Readiness {
    @Override
    public String message() {
      String why = PodIssues.summary(issues);
      return why == null || phase == JobPhase.READY ? message : message + "; " + why;
    }

    /** This state, its message telling where the state was last saved. */
    FlinkState withSavepoint(String location) {
      return location == null
          ? this
          : new FlinkState(
              phase, message + "; last savepoint " + location, ready, desired, failure, issues);
    }

    @Override
    public boolean failed() {
      return failure != null;
    }
  }
}
