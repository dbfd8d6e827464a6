package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;

/**
 * The container statuses and pod conditions the simulated kubelet reports, shaped as a real one
 * shapes them: running (ready or not, with its restart count and last termination), terminated with
 * a reason and exit code, waiting with a reason and message, PodScheduled and Ready.
 */
final class ContainerStates {
  private ContainerStates() {}

  static ContainerStatus runningStatus(
      Pod pod, boolean ready, int restarts, ContainerState last, Instant now) {
    return new ContainerStatusBuilder()
        .withName(Kubelet.main(pod).getName())
        .withImage(Kubelet.main(pod).getImage())
        .withReady(ready)
        .withStarted(true)
        .withRestartCount(restarts)
        .withState(
            new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt(Kubelet.timestamp(now))
                .endRunning()
                .build())
        .withLastState(last)
        .build();
  }

  static ContainerStatus terminatedStatus(Kubelet.Fate fate, int restarts, Instant now) {
    return new ContainerStatusBuilder()
        .withName("main")
        .withReady(false)
        .withStarted(false)
        .withRestartCount(restarts)
        .withState(terminated(fate, now))
        .build();
  }

  static ContainerStatus crashLoop(Kubelet.Fate fate, int restarts, Instant now) {
    return new ContainerStatusBuilder()
        .withName("main")
        .withReady(false)
        .withStarted(false)
        .withRestartCount(restarts)
        .withNewState()
        .withNewWaiting()
        .withReason("CrashLoopBackOff")
        .withMessage("back-off restarting failed container main")
        .endWaiting()
        .endState()
        .withLastState(terminated(fate, now))
        .build();
  }

  static ContainerState terminated(Kubelet.Fate fate, Instant now) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(fate.exitCode)
        .withReason(fate.reason)
        .withFinishedAt(Kubelet.timestamp(now))
        .endTerminated()
        .build();
  }

  static ContainerStatus waiting(Pod pod, String reason, String message) {
    if (reason == null) {
      return null;
    }
    return new ContainerStatusBuilder()
        .withName(Kubelet.main(pod).getName())
        .withImage(Kubelet.main(pod).getImage())
        .withReady(false)
        .withStarted(false)
        .withRestartCount(0)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  static PodCondition scheduled(boolean yes, String message) {
    return new PodConditionBuilder()
        .withType("PodScheduled")
        .withStatus(yes ? "True" : "False")
        .withReason(yes ? null : "Unschedulable")
        .withMessage(message)
        .build();
  }

  static PodCondition ready(boolean ready) {
    return new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build();
  }
}
