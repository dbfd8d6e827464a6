package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a cache must stop trusting itself, and when a difference is only a race. */
class ClusterCacheTest {
  private static final Map<String, String> CACHE = Map.of("a/web", "120", "a/db", "7");

  @Test
  void aServerBehindTheNewestCachedVersionLostState() {
    assertTrue(ClusterCache.needsRelist("3", Map.of(), CACHE));
    assertFalse(ClusterCache.needsRelist("120", CACHE, CACHE));
  }

  @Test
  void objectsTheServerNoLongerHasOrTheCacheNeverSawAreAGap() {
    assertTrue(
        ClusterCache.needsRelist("500", Map.of("a/web", "120"), CACHE),
        "the server lost a/db, older than its list");
    assertTrue(
        ClusterCache.needsRelist("500", Map.of("a/web", "120", "a/db", "7", "a/new", "90"), CACHE),
        "the cache missed a/new although it saw later versions");
  }

  @Test
  void whatChangedWhileTheListWasTakenIsNoGap() {
    assertFalse(
        ClusterCache.needsRelist("500", Map.of("a/web", "120", "a/db", "7", "a/new", "499"), CACHE),
        "created after everything the cache has seen: its event is on the way");
    assertFalse(ClusterCache.needsRelist("5", Map.of(), Map.of()), "an empty cache trusts nothing");
  }

  @Test
  void opaqueVersionsAreNeverCompared() {
    assertFalse(ClusterCache.needsRelist("abc", Map.of(), CACHE));
    assertFalse(ClusterCache.needsRelist(null, Map.of(), CACHE));
    assertFalse(ClusterCache.needsRelist("3", Map.of(), Map.of("a/x", "x1")));
  }

  @Test
  void aDeletionOrCreationInFlightIsNoGapOnceItHasArrived() {
    Map<String, String> server = Map.of("a/web", "120", "a/new", "300");
    Map<String, String> before = Map.of("a/web", "120", "a/db", "7", "a/new", "300");
    // a/db was deleted while the list was taken; its event arrived during the grace period.
    Map<String, String> after = Map.of("a/web", "120", "a/new", "300");
    assertTrue(ClusterCache.needsRelist("500", server, before), "looks lost at first sight");
    assertFalse(ClusterCache.confirmed("500", server, before, after));
    // a/gone was listed, then deleted before the grace period ended: the cache had seen it.
    assertFalse(
        ClusterCache.confirmed(
            "500",
            Map.of("a/web", "120", "a/gone", "90"),
            Map.of("a/web", "120", "a/gone", "90"),
            Map.of("a/web", "120")));
    // Still missing after the grace period: a real gap.
    assertTrue(ClusterCache.confirmed("500", Map.of("a/web", "120"), before, before));
  }
}
