package io.sluice.reconcile;

import io.sluice.job.SpecCodec;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
 * it. So the fingerprint is taken from the snapshot without reading its spec, and the text it
 * hashes is written here, a field a line (none holds a line break: ids, names Kubernetes allows,
 * numbers, JSON): a skipped pass reads no JSON and writes none but its open runs'.
 */
final class PassFingerprint {
  private PassFingerprint() {}

  /** The fingerprint of {@code job}'s render input rendered over {@code objects}. */
  static byte[] of(Snapshot job, Set<String> objects) {
    return of(Renderer.VERSION, job, objects);
  }

  static byte[] of(int rendererVersion, Snapshot job, Set<String> objects) {
    List<RenderInput.RunInput> runs = job.runInputs();
    StringBuilder text =
        new StringBuilder(256)
            .append("renderer ")
            .append(rendererVersion)
            .append('\n')
            .append(job.jobId())
            .append('\n')
            .append(job.namespace())
            .append('\n')
            .append(job.name())
            .append('\n')
            .append(job.type().name())
            .append('\n')
            .append(job.workload().name())
            .append('\n')
            .append(job.revision())
            .append('\n')
            .append(runs.isEmpty() ? "[]" : SpecCodec.toJson(runs))
            .append('\n')
            .append(new TreeSet<>(job.revisionSpecs().keySet()))
            .append('\n')
            .append(job.scaleReplicas())
            .append('\n')
            .append(job.suspended());
    for (String object : new TreeSet<>(objects)) {
      text.append('\n').append(object);
    }
    return io.sluice.api.Sha256.of(text.toString());
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
