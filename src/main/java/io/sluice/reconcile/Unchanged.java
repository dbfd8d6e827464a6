package io.sluice.reconcile;

import io.sluice.render.RenderInput;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per job, the render input and the cluster objects (kind/name@resourceVersion) its last
 * pass left behind, when that pass deleted nothing: what it found, with what it created or updated
 * at the versions the API server returned. Rendering is a pure function of the input and the
 * comparison reads only the cache, so a pass with the same input over the same object versions
 * would find nothing either: it skips rendering and comparing. That is what makes a resync of
 * unchanged jobs cheap; any change — a new revision, scale, run, or an object edited, deleted or
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

  /**
   * The objects a pass leaves behind: those it found, with the ones it wrote (kind/name@version) at
   * their new versions.
   */
  static Set<String> after(Set<String> found, Set<String> written) {
    if (written.isEmpty()) {
      return found;
    }
    Set<String> names = new java.util.HashSet<>();
    for (String w : written) {
      names.add(w.substring(0, w.lastIndexOf('@') + 1));
    }
    Set<String> after = new java.util.HashSet<>(written);
    for (String f : found) {
      if (!names.contains(f.substring(0, f.lastIndexOf('@') + 1))) {
        after.add(f);
      }
    }
    return after;
  }

  void forget(UUID jobId) {
    seen.remove(jobId);
  }

  int size() {
    return seen.size();
  }
}
