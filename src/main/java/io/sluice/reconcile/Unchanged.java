package io.sluice.reconcile;

import io.sluice.render.RenderInput;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per job, the render input and the cluster objects (kind/name@resourceVersion) of its
 * last pass that found nothing to create, update or delete. Rendering is a pure function of the
 * input and the comparison reads only the cache, so a pass with the same input over the same object
 * versions would find nothing either: it skips rendering and comparing. That is what makes a resync
 * of unchanged jobs cheap; any change — a new revision, scale, run, or an object edited, deleted or
 * added in the cluster — misses and runs the full pass.
 */
final class Unchanged {
  private record Seen(RenderInput input, Set<String> objects) {}

  private final Map<UUID, Seen> seen = new ConcurrentHashMap<>();

  boolean same(UUID jobId, RenderInput input, Set<String> objects) {
    Seen last = seen.get(jobId);
    return last != null && last.input().equals(input) && last.objects().equals(objects);
  }

  void remember(UUID jobId, RenderInput input, Set<String> objects) {
    seen.put(jobId, new Seen(input, objects));
  }

  void forget(UUID jobId) {
    seen.remove(jobId);
  }

  int size() {
    return seen.size();
  }
}
