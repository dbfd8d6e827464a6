package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.sluice.job.JobPhase;
import org.junit.jupiter.api.Test;

/**
 * When a rollout is done, by the rule {@code kubectl rollout status} applies, on the statuses a
 * real controller writes during a rolling update — surge pods, old pods still ready.
 */
class ObservedTest {
  private static Deployment deployment(
      int replicas, long generation, DeploymentStatusBuilder status) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withGeneration(generation)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .endSpec()
        .withStatus(status.build())
        .build();
  }

  @Test
  void oneReplicaWhoseSurgedPodFailsIsStillRollingOutWhileTheOldPodServes() {
    // maxSurge 1: the new pod is not ready, the old one is; 2 pods, 1 updated, 1 ready.
    Deployment d =
        deployment(
            1,
            2,
            new DeploymentStatusBuilder()
                .withObservedGeneration(2L)
                .withReplicas(2)
                .withUpdatedReplicas(1)
                .withReadyReplicas(1)
                .withAvailableReplicas(1)
                .withUnavailableReplicas(1));
    Observed.Replicas r = Observed.replicas(d);
    assertEquals(JobPhase.PROGRESSING, r.phase(), r.message());
    assertTrue(r.message().contains("1 old still running"), r.message());
  }

  @Test
  void aRolloutIsDoneWhenEveryReplicaIsUpdatedAndAvailableAndNoOldOneIsLeft() {
    DeploymentStatusBuilder done =
        new DeploymentStatusBuilder()
            .withObservedGeneration(3L)
            .withReplicas(2)
            .withUpdatedReplicas(2)
            .withReadyReplicas(2)
            .withAvailableReplicas(2);
    assertEquals(JobPhase.READY, Observed.replicas(deployment(2, 3, done)).phase());
    // Old pods pending termination: 3 pods of which 2 updated.
    assertEquals(
        JobPhase.PROGRESSING,
        Observed.replicas(deployment(2, 3, done.withReplicas(3).withReadyReplicas(3))).phase());
    // Updated and ready but not yet available (minReadySeconds).
    assertEquals(
        JobPhase.PROGRESSING,
        Observed.replicas(
                deployment(
                    2, 3, done.withReplicas(2).withReadyReplicas(2).withAvailableReplicas(1)))
            .phase());
    // The controller has not seen generation 4 yet: these counts are of the old template.
    assertEquals(
        JobPhase.PROGRESSING,
        Observed.replicas(deployment(2, 4, done.withAvailableReplicas(2))).phase());
  }

  @Test
  void theControllersProgressDeadlineFailsTheRollout() {
    Deployment d =
        deployment(
            2,
            2,
            new DeploymentStatusBuilder()
                .withObservedGeneration(2L)
                .withReplicas(3)
                .withUpdatedReplicas(1)
                .withReadyReplicas(2)
                .withAvailableReplicas(2)
                .withConditions(
                    new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet \"web-7d\" has timed out progressing.")
                        .build()));
    Observed.Replicas r = Observed.replicas(d);
    assertEquals(JobPhase.DEGRADED, r.phase());
    assertTrue(r.failed());
    assertTrue(r.message().contains("ProgressDeadlineExceeded"), r.message());
  }

  @Test
  void aStatefulSetIsDoneOnlyWhenItsCurrentRevisionIsTheUpdateRevision() {
    StatefulSetStatusBuilder status =
        new StatefulSetStatusBuilder()
            .withObservedGeneration(2L)
            .withReplicas(3)
            .withReadyReplicas(3)
            .withUpdatedReplicas(3)
            .withAvailableReplicas(3)
            .withCurrentRevision("db-1")
            .withUpdateRevision("db-2");
    StatefulSet rolling =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName("db")
            .withGeneration(2L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .endSpec()
            .withStatus(status.build())
            .build();
    assertEquals(JobPhase.PROGRESSING, Observed.replicas(rolling).phase());
    rolling.setStatus(status.withCurrentRevision("db-2").build());
    assertEquals(JobPhase.READY, Observed.replicas(rolling).phase());
  }
}
