package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The simulated Deployment controller rolls out as a real one does with its defaults. */
class RollingUpdateTest {
  @Test
  void oneReplicaSurgesOneNewPodAndKeepsTheOldOneUntilItIsReady() {
    assertEquals(new RollingUpdate(1, 0, 0, 0), RollingUpdate.step(1, 0, 0, 1, 1));
    // The new pod fails: the old one keeps serving, nothing more is created.
    assertEquals(new RollingUpdate(0, 0, 0, 0), RollingUpdate.step(1, 1, 0, 1, 1));
    // The new pod is ready: the old one goes.
    assertEquals(new RollingUpdate(0, 0, 1, 0), RollingUpdate.step(1, 1, 1, 1, 1));
  }

  @Test
  void fourReplicasSurgeOneAndMayLoseOneReadyOldPodAtATime() {
    // maxSurge 1, maxUnavailable 1.
    assertEquals(new RollingUpdate(1, 0, 1, 0), RollingUpdate.step(4, 0, 0, 4, 4));
    assertEquals(new RollingUpdate(1, 0, 0, 0), RollingUpdate.step(4, 1, 0, 3, 3));
    assertEquals(new RollingUpdate(0, 0, 0, 0), RollingUpdate.step(4, 2, 0, 3, 3));
    assertEquals(new RollingUpdate(0, 0, 3, 0), RollingUpdate.step(4, 4, 4, 3, 3));
  }

  @Test
  void unreadyOldPodsGoAtOnceAndExtraNewPodsAreRemoved() {
    assertEquals(new RollingUpdate(1, 2, 0, 0), RollingUpdate.step(2, 0, 0, 2, 0));
    assertEquals(new RollingUpdate(0, 0, 0, 2), RollingUpdate.step(1, 3, 3, 0, 0));
  }

  @Test
  void aFreshDeploymentCreatesEveryReplica() {
    assertEquals(new RollingUpdate(3, 0, 0, 0), RollingUpdate.step(3, 0, 0, 0, 0));
  }
}
