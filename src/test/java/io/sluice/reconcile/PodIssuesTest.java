package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sluice.job.PodIssue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What kubectl describe would say is wrong with a pod, read off its status. */
class PodIssuesTest {

  @Test
  void theSchedulersVerdictIsAnIssue() {
    Pod pod =
        pod("p-1")
            .editStatus()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient memory.")
            .endCondition()
            .endStatus()
            .build();
    PodIssue issue = PodIssues.of(List.of(pod)).get(0);
    assertEquals("Unschedulable", issue.reason());
    assertEquals(
        "pod p-1: Unschedulable (0/3 nodes are available: 3 Insufficient memory.)",
        issue.describe());
  }

  @Test
  void aCrashLoopSaysHowTheLastContainerEndedAndHowOftenItRestarted() {
    Pod pod =
        pod("web-1")
            .editStatus()
            .withPhase("Running")
            .addNewContainerStatus()
            .withName("main")
            .withRestartCount(4)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off 40s restarting failed container")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withReason("OOMKilled")
            .withExitCode(137)
            .endTerminated()
            .endLastState()
            .endContainerStatus()
            .endStatus()
            .build();
    PodIssue issue = PodIssues.of(List.of(pod)).get(0);
    assertEquals("CrashLoopBackOff", issue.reason());
    assertEquals(137, issue.exitCode());
    assertEquals(4, issue.restarts());
    assertTrue(issue.message().contains("last ended: OOMKilled"), issue.message());
  }

  @Test
  void aHealthyOrMerelyStartingPodHasNoIssueAndTheListIsBounded() {
    Pod creating =
        pod("ok-1")
            .editStatus()
            .withPhase("Pending")
            .addNewContainerStatus()
            .withName("main")
            .withNewState()
            .withNewWaiting()
            .withReason("ContainerCreating")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    assertEquals(List.of(), PodIssues.of(List.of(creating)));

    List<Pod> many = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(
          pod("p-" + i)
              .editStatus()
              .withPhase("Failed")
              .withReason("Evicted")
              .withMessage("x".repeat(5000))
              .endStatus()
              .build());
    }
    List<PodIssue> issues = PodIssues.of(many);
    assertEquals(PodIssues.MAX, issues.size());
    assertTrue(issues.get(0).message().length() <= PodIssues.MAX_MESSAGE + 1);
    assertTrue(PodIssues.summary(issues).endsWith("(and 9 more)"), PodIssues.summary(issues));
  }

  private static PodBuilder pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .endStatus();
  }
}
