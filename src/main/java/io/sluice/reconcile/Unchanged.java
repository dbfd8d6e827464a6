package io.sluice.reconcile;

import io.sluice.job.SpecCodec;
import io.sluice.render.RenderInput;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per job, a digest of the render input and of the cluster objects
 * (kind/name@resourceVersion) its last pass left behind, when that pass deleted nothing: what it
 * found, with what it created or updated at the versions the API server returned. Rendering is a
 * pure function of the input and the comparison reads only the cache, so a pass with the same input
 * over the same object versions would find nothing either: it skips rendering and comparing. That
 * is what makes a resync of unchanged jobs cheap; any change — a new revision, scale, run, or an
 * object edited, deleted or added in the cluster — misses and runs the full pass.
 *
 * <p>Only digests are kept (about 150 bytes a job), never specs: a revision's spec is immutable, so
 * its number stands for it, and this memory does not grow with the size of what jobs store.
 */
final class Unchanged {
  private record Seen(byte[] input, byte[] objects) {
    boolean same(byte[] otherInput, byte[] otherObjects) {
      return Arrays.equals(input, otherInput) && Arrays.equals(objects, otherObjects);
    }
  }

  /**
   * What identifies a render input without its specs: revisions are immutable, so the revision
   * numbers in use stand for the specs they hold.
   */
  private record Key(
      UUID jobId,
      String namespace,
      String name,
      String type,
      String workload,
      int revision,
      java.util.List<RenderInput.RunInput> openRuns,
      Set<Integer> olderRevisions,
      Integer scaleReplicas,
      boolean suspended) {}

  private final Map<UUID, Seen> seen = new ConcurrentHashMap<>();

  boolean same(UUID jobId, RenderInput input, Set<String> objects) {
    Seen last = seen.get(jobId);
    return last != null && last.same(digest(input), digest(objects));
  }

  void remember(UUID jobId, RenderInput input, Set<String> objects) {
    seen.put(jobId, new Seen(digest(input), digest(objects)));
  }

  static byte[] digest(RenderInput input) {
    Key key =
        new Key(
            input.jobId(),
            input.namespace(),
            input.name(),
            input.type().name(),
            input.workload().name(),
            input.revision(),
            input.openRuns(),
            new TreeSet<>(input.revisionSpecs().keySet()),
            input.scaleReplicas(),
            input.suspended());
    return sha256(SpecCodec.toJson(key));
  }

  static byte[] digest(Set<String> objects) {
    return sha256(String.join("\n", new TreeSet<>(objects)));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
