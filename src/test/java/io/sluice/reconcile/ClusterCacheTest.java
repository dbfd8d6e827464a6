package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a cache must stop trusting itself: the API server's collection went backwards. */
class ClusterCacheTest {
  @Test
  void aServerBehindTheNewestCachedVersionLostState() {
    assertTrue(ClusterCache.wentBackwards("3", List.of("120", "7")));
    assertFalse(ClusterCache.wentBackwards("120", List.of("120", "7")));
    assertFalse(ClusterCache.wentBackwards("500", List.of("120")));
    assertFalse(ClusterCache.wentBackwards("5", List.of()), "an empty cache trusts nothing");
  }

  @Test
  void opaqueVersionsAreNeverCompared() {
    assertFalse(ClusterCache.wentBackwards("abc", List.of("120")));
    assertFalse(ClusterCache.wentBackwards(null, List.of("120")));
    assertFalse(ClusterCache.wentBackwards("3", List.of("x1", "y2")));
  }
}
