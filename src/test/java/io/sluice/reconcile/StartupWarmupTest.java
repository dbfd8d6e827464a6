package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * The warm-up reaches every kind the informers watch (each has a fabric8 list type) and loads the
 * JDK's trust anchors.
 */
class StartupWarmupTest {
  @Test
  void buildsTheListDeserializerOfEveryWatchedKind() {
    assertEquals(ClusterCache.KINDS.size(), StartupWarmup.warm(new KubernetesSerialization()));
  }

  @Test
  void loadsTheJdksTrustAnchors() {
    assertTrue(StartupWarmup.loadTrustAnchors() > 0, "the JDK's cacerts has trust anchors");
  }
}
