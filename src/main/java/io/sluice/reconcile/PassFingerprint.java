package io.sluice.reconcile;

import io.sluice.job.SpecCodec;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a pass rendered from and left behind, as one SHA-256 kept in the job's row ({@code
 * jobs.pass_fingerprint}): the renderer's version, the render input, and the cluster objects
 * (kind/name@resourceVersion) as the pass left them when it deleted nothing — what it found, with
 * what it created or updated at the versions the API server returned. Rendering is a pure function
 * of the input and the comparison reads only the cache, so a pass with the same input over the same
 * object versions would find nothing to do: it skips rendering and comparing. That makes a resync
 * of unchanged jobs cheap — in any replica, and right after a restart, since the fingerprint lives
 * in PostgreSQL. Any change misses and runs the whole pass: a new revision, scale, run, an object
 * edited, deleted or added in the cluster, or a Sluice whose renderer renders differently ({@link
 * Renderer#VERSION}).
 *
 * <p>Only digests are kept, never specs: a revision's spec is immutable, so its number stands for
 * it.
 */
final class PassFingerprint {
  private PassFingerprint() {}

  /**
   * What identifies a render input without its specs: revisions are immutable, so the revision
   * numbers in use stand for the specs they hold.
   */
  private record Key(
      int rendererVersion,
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

  /** The fingerprint of {@code input} rendered over {@code objects}. */
  static byte[] of(RenderInput input, Set<String> objects) {
    return of(Renderer.VERSION, input, objects);
  }

  static byte[] of(int rendererVersion, RenderInput input, Set<String> objects) {
    Key key =
        new Key(
            rendererVersion,
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
    return io.sluice.api.Sha256.of(
        SpecCodec.toJson(key) + "\n" + String.join("\n", new TreeSet<>(objects)));
  }

  /**
   * The objects a pass leaves behind: those it found, with the ones it wrote (kind/name@version) at
   * their new versions.
   */
  static Set<String> after(Set<String> found, Set<String> written) {
    if (written.isEmpty()) {
      return found;
    }
    Set<String> names = new HashSet<>();
    for (String w : written) {
      names.add(w.substring(0, w.lastIndexOf('@') + 1));
    }
    Set<String> after = new HashSet<>(written);
    for (String f : found) {
      if (!names.contains(f.substring(0, f.lastIndexOf('@') + 1))) {
        after.add(f);
      }
    }
    return after;
  }
}
