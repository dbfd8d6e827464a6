package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The warm-up reaches every kind the informers watch (each has a fabric8 list type). */
class SerializerWarmupTest {
  @Test
  void buildsTheListDeserializerOfEveryWatchedKind() {
    assertEquals(ClusterCache.KINDS.size(), SerializerWarmup.warm(new KubernetesSerialization()));
  }
}
