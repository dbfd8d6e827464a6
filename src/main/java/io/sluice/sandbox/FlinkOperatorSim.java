package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.engine.FlinkDeployment;
import io.sluice.job.SpecCodec;
import io.sluice.render.EnginePods;
import io.sluice.render.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's Flink operator, application mode: a FlinkDeployment gets a JobManager pod and the
 * TaskManagers its parallelism needs (parallelism / task slots), made from what Sluice rendered and
 * run by the simulated kubelet. The lifecycle moves CREATED → DEPLOYED → STABLE once every pod is
 * ready, the job RUNNING. A spec change is an upgrade: with upgradeMode savepoint a savepoint is
 * taken into the savepoint directory and recorded (status.jobStatus.savepointInfo, and
 * upgradeSavepointPath), the pods are replaced (UPGRADING), and the job restores from it. Suspended
 * jobs keep a savepoint the same way. A job whose pods keep crashing FAILS, with the error the
 * operator would report.
 */
final class FlinkOperatorSim {
  static final String SPEC_LABEL = "sandbox.sluice.io/spec";

  private final KubernetesClient client;
  private final Simulator sim;
  private final Kubelet kubelet;

  FlinkOperatorSim(KubernetesClient client, Simulator sim, Kubelet kubelet) {
    this.client = client;
    this.sim = sim;
    this.kubelet = kubelet;
  }

  void step(Instant now) {
    sim.each(FlinkDeployment.class, o -> deployment(o, now));
  }

  private void deployment(FlinkDeployment d, Instant now) {
    String before = d.getStatus() == null ? "" : Serialization.asJson(d.getStatus());
    String stateBefore =
        d.getStatus() == null || d.getStatus().jobStatus == null
            ? null
            : d.getStatus().jobStatus.state;
    FlinkDeployment.Status status =
        d.getStatus() == null ? new FlinkDeployment.Status() : d.getStatus();
    if (status.jobStatus == null) {
      status.jobStatus = new FlinkDeployment.JobStatus();
    }
    if (status.reconciliationStatus == null) {
      status.reconciliationStatus = new FlinkDeployment.ReconciliationStatus();
    }
    String ns = d.getMetadata().getNamespace();
    String name = d.getMetadata().getName();
    String spec = SpecCodec.sha256(Serialization.asJson(d.getSpec())).substring(0, 10);
    List<Pod> pods = kubelet.advance(sim.podsWith(ns, "app", name), now, false);
    pods = pods.stream().filter(p -> Labels.isManaged(p.getMetadata().getLabels())).toList();
    boolean upgrade =
        pods.stream().anyMatch(p -> !spec.equals(p.getMetadata().getLabels().get(SPEC_LABEL)));
    boolean suspended = d.getSpec().job != null && "suspended".equals(d.getSpec().job.state);
    status.observedGeneration = d.getMetadata().getGeneration();
    status.jobStatus.jobName = name;
    if (upgrade || (suspended && !pods.isEmpty())) {
      // Stop the job: a savepoint first when the upgrade mode asks for one and the job runs.
      if ("RUNNING".equals(status.jobStatus.state) && "savepoint".equals(upgradeMode(d))) {
        savepoint(d, status, now);
      }
      pods.forEach(sim::delete);
      status.lifecycleState = suspended ? "SUSPENDED" : "UPGRADING";
      status.reconciliationStatus.state = "UPGRADING";
      status.jobStatus.state = suspended ? "FINISHED" : "RECONCILING";
      status.jobManagerDeploymentStatus = suspended ? "MISSING" : "DEPLOYING";
      status.error = null;
      write(d, status);
      return;
    }
    if (suspended) {
      status.lifecycleState = "SUSPENDED";
      status.jobStatus.state = "FINISHED";
      status.reconciliationStatus.state = "DEPLOYED";
      status.reconciliationStatus.lastReconciledSpec = Serialization.asJson(d.getSpec());
      write(d, status);
      return;
    }
    List<EnginePods.Role> roles = EnginePods.of(d);
    ensure(d, roles.get(0), pods, spec, "-jobmanager-", now);
    ensure(d, roles.get(1), pods, spec, "-taskmanager-1-", now);
    pods = kubelet.advance(sim.podsWith(ns, "app", name), now, false);
    int wanted = roles.get(0).count() + roles.get(1).count();
    int ready = (int) pods.stream().filter(Simulator::ready).count();
    int restarts = pods.stream().mapToInt(FlinkOperatorSim::restarts).max().orElse(0);
    status.taskManager = new FlinkDeployment.TaskManagerInfo();
    status.taskManager.replicas = roles.get(1).count();
    status.taskManager.labelSelector = "app=" + name + ",component=taskmanager";
    status.reconciliationStatus.lastReconciledSpec = Serialization.asJson(d.getSpec());
    if (status.jobStatus.jobId == null) {
      status.jobStatus.jobId = SpecCodec.sha256(name + now).substring(0, 32);
    }
    if (restarts >= 2) {
      status.lifecycleState = "FAILED";
      status.jobStatus.state = "FAILED";
      status.jobManagerDeploymentStatus = "ERROR";
      status.error =
          "{\"type\":\"org.apache.flink.runtime.JobException\",\"message\":\"Recovery is suppressed"
              + " by NoRestartBackoffTimeStrategy\"}";
    } else if (ready >= wanted) {
      boolean wasRunning = "RUNNING".equals(status.jobStatus.state);
      status.jobManagerDeploymentStatus = "READY";
      status.jobStatus.state = "RUNNING";
      if (status.jobStatus.startTime == null || !wasRunning) {
        status.jobStatus.startTime = Long.toString(now.toEpochMilli());
      }
      // Stable once the job has been seen running: the operator's "deployed and healthy".
      status.lifecycleState = wasRunning ? "STABLE" : "DEPLOYED";
      status.reconciliationStatus.state = "DEPLOYED";
      if (wasRunning) {
        status.reconciliationStatus.lastStableSpec = status.reconciliationStatus.lastReconciledSpec;
      }
      status.error = null;
    } else {
      status.lifecycleState = status.lifecycleState == null ? "CREATED" : "DEPLOYED";
      status.jobManagerDeploymentStatus = "DEPLOYING";
      status.jobStatus.state = "CREATED";
    }
    if (!java.util.Objects.equals(stateBefore, status.jobStatus.state)) {
      status.jobStatus.updateTime = Long.toString(now.toEpochMilli());
    }
    if (!before.equals(Serialization.asJson(status))) {
      write(d, status);
    }
  }

  private void ensure(
      FlinkDeployment d,
      EnginePods.Role role,
      List<Pod> pods,
      String spec,
      String infix,
      Instant now) {
    for (int i = 1; i <= role.count(); i++) {
      String pod = d.getMetadata().getName() + infix + i;
      if (pods.stream().noneMatch(p -> p.getMetadata().getName().equals(pod))) {
        sim.createPod(
            d.getMetadata().getNamespace(), pod, role.template(), Map.of(SPEC_LABEL, spec), d, now);
      }
    }
  }

  /** Takes a savepoint into the configured directory and records it as the operator does. */
  private static void savepoint(FlinkDeployment d, FlinkDeployment.Status status, Instant now) {
    String dir = null;
    Map<String, String> conf = d.getSpec().flinkConfiguration;
    if (conf != null) {
      dir =
          conf.getOrDefault(
              "state.savepoints.dir", conf.get("execution.checkpointing.savepoint-dir"));
    }
    if (dir == null) {
      return;
    }
    FlinkDeployment.Savepoint savepoint = new FlinkDeployment.Savepoint();
    savepoint.timeStamp = now.toEpochMilli();
    savepoint.location =
        dir + "/savepoint-" + status.jobStatus.jobId.substring(0, 6) + "-" + Simulator.suffix();
    savepoint.triggerType = "UPGRADE";
    savepoint.formatType = "CANONICAL";
    if (status.jobStatus.savepointInfo == null) {
      status.jobStatus.savepointInfo = new FlinkDeployment.SavepointInfo();
    }
    status.jobStatus.savepointInfo.lastSavepoint = savepoint;
    List<FlinkDeployment.Savepoint> history =
        new ArrayList<>(
            status.jobStatus.savepointInfo.savepointHistory == null
                ? List.of()
                : status.jobStatus.savepointInfo.savepointHistory);
    history.add(savepoint);
    status.jobStatus.savepointInfo.savepointHistory = history;
    status.jobStatus.upgradeSavepointPath = savepoint.location;
  }

  private static String upgradeMode(FlinkDeployment d) {
    return d.getSpec().job == null ? "stateless" : d.getSpec().job.upgradeMode;
  }

  private static int restarts(Pod p) {
    var statuses = p.getStatus() == null ? null : p.getStatus().getContainerStatuses();
    return statuses == null || statuses.isEmpty() || statuses.get(0).getRestartCount() == null
        ? 0
        : statuses.get(0).getRestartCount();
  }

  private void write(FlinkDeployment d, FlinkDeployment.Status status) {
    client
        .resources(FlinkDeployment.class)
        .inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName())
        .editStatus(
            x -> {
              x.setStatus(status);
              return x;
            });
  }
}
