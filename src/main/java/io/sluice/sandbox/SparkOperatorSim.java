package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.engine.SparkApplication;
import io.sluice.render.EnginePods;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox's Spark operator: a SparkApplication is submitted (SUBMITTED, its driver pod made
 * from what Sluice rendered), runs once the driver runs (RUNNING, with its executors), and ends
 * COMPLETED or FAILED with the driver (executors removed). A failure under restartPolicy OnFailure
 * is retried the way the operator retries (FAILING, PENDING_RERUN, a new driver) until its retries
 * are spent. The driver and executors go through the simulated kubelet, so a root image under
 * runAsNonRoot, a missing Secret or an unschedulable size fails here as on a cluster.
 */
final class SparkOperatorSim {
  private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "SUBMISSION_FAILED");

  private final KubernetesClient client;
  private final Simulator sim;
  private final Kubelet kubelet;

  SparkOperatorSim(KubernetesClient client, Simulator sim, Kubelet kubelet) {
    this.client = client;
    this.sim = sim;
    this.kubelet = kubelet;
  }

  void step(Instant now) {
    sim.each(SparkApplication.class, o -> application(o, now));
  }

  private void application(SparkApplication app, Instant now) {
    SparkApplication.Status status =
        app.getStatus() == null ? new SparkApplication.Status() : app.getStatus();
    String state =
        status.applicationState == null || status.applicationState.state == null
            ? ""
            : status.applicationState.state;
    if (ENDED.contains(state)) {
      return;
    }
    String ns = app.getMetadata().getNamespace();
    String name = app.getMetadata().getName();
    List<EnginePods.Role> roles = EnginePods.of(app);
    EnginePods.Role driverRole = roles.get(0);
    String driverName = name + "-driver";
    Pod driver = client.pods().inNamespace(ns).withName(driverName).get();
    if (state.isEmpty() || state.equals("PENDING_RERUN")) {
      if (driver != null) {
        sim.delete(driver);
        executors(ns, name).forEach(sim::delete);
        return; // the old attempt's pods go first
      }
      sim.createPod(ns, driverName, driverRole.template(), Map.of(), app, now);
      status.submissionAttempts =
          (status.submissionAttempts == null ? 0 : status.submissionAttempts) + 1;
      status.lastSubmissionAttemptTime = Simulator.timestamp(now);
      status.sparkApplicationId = "spark-" + Simulator.suffix();
      status.submissionID = Simulator.suffix();
      status.driverInfo = new SparkApplication.DriverInfo();
      status.driverInfo.podName = driverName;
      status.driverInfo.webUIServiceName = name + "-ui-svc";
      status.driverInfo.webUIPort = 4040;
      status.terminationTime = null;
      write(app, status, "SUBMITTED", null);
      return;
    }
    if (driver == null) {
      status.terminationTime = Simulator.timestamp(now);
      write(app, status, "FAILED", "driver pod " + driverName + " not found");
      return;
    }
    driver = kubelet.advance(driver, now, true);
    String phase = driver.getStatus() == null ? "Pending" : driver.getStatus().getPhase();
    if ("Running".equals(phase)) {
      runExecutors(app, roles.get(1), now);
      if (!state.equals("RUNNING")) {
        status.executionAttempts =
            (status.executionAttempts == null ? 0 : status.executionAttempts) + 1;
        write(app, status, "RUNNING", null);
      }
    } else if ("Succeeded".equals(phase)) {
      executors(ns, name).forEach(sim::delete);
      status.terminationTime = Simulator.timestamp(now);
      status.executorState = null;
      write(app, status, "COMPLETED", null);
    } else if ("Failed".equals(phase)) {
      executors(ns, name).forEach(sim::delete);
      SparkApplication.RestartPolicy policy = app.getSpec().restartPolicy;
      int attempts = status.executionAttempts == null ? 1 : status.executionAttempts;
      int retries =
          policy == null || !"OnFailure".equals(policy.type) || policy.onFailureRetries == null
              ? 0
              : policy.onFailureRetries;
      String exit = exitOf(driver);
      if (attempts <= retries) {
        // The operator's own retry: the run stays under way (FAILING, then PENDING_RERUN).
        write(
            app,
            status,
            state.equals("FAILING") ? "PENDING_RERUN" : "FAILING",
            "driver container failed with " + exit);
      } else {
        status.terminationTime = Simulator.timestamp(now);
        write(app, status, "FAILED", "driver container failed with " + exit);
      }
    }
  }

  /** Executors while the driver runs: as many as the application asks for at first. */
  private void runExecutors(SparkApplication app, EnginePods.Role role, Instant now) {
    String ns = app.getMetadata().getNamespace();
    String name = app.getMetadata().getName();
    var dynamic = app.getSpec().dynamicAllocation;
    int wanted =
        dynamic != null
            ? Math.max(
                1,
                dynamic.initialExecutors != null
                    ? dynamic.initialExecutors
                    : dynamic.minExecutors == null ? 1 : dynamic.minExecutors)
            : role.count();
    List<Pod> running = executors(ns, name);
    for (int i = 1; i <= wanted; i++) {
      String pod = name + "-exec-" + i;
      if (running.stream().noneMatch(p -> p.getMetadata().getName().equals(pod))) {
        sim.createPod(ns, pod, role.template(), Map.of(), app, now);
      }
    }
    kubelet.advance(executors(ns, name), now, false);
  }

  private List<Pod> executors(String ns, String app) {
    return sim.podsWith(ns, SparkApplication.APP_NAME_LABEL, app).stream()
        .filter(
            p ->
                SparkApplication.EXECUTOR_ROLE.equals(
                    p.getMetadata().getLabels().get(SparkApplication.ROLE_LABEL)))
        .toList();
  }

  private static String exitOf(Pod driver) {
    var statuses = driver.getStatus().getContainerStatuses();
    if (statuses != null
        && !statuses.isEmpty()
        && statuses.get(0).getState() != null
        && statuses.get(0).getState().getTerminated() != null) {
      var t = statuses.get(0).getState().getTerminated();
      return "ExitCode: " + t.getExitCode() + ", Reason: " + t.getReason();
    }
    return "ExitCode: 1, Reason: Error";
  }

  private void write(
      SparkApplication app, SparkApplication.Status status, String state, String error) {
    status.applicationState = new SparkApplication.ApplicationState(state, error);
    if (state.equals("RUNNING")) {
      Map<String, String> executors = new LinkedHashMap<>();
      executors(app.getMetadata().getNamespace(), app.getMetadata().getName())
          .forEach(p -> executors.put(p.getMetadata().getName(), "RUNNING"));
      status.executorState = executors;
    }
    client
        .resources(SparkApplication.class)
        .inNamespace(app.getMetadata().getNamespace())
        .withName(app.getMetadata().getName())
        .editStatus(
            a -> {
              a.setStatus(status);
              return a;
            });
  }
}
