package io.sluice.watch;

import java.util.Set;
import java.util.UUID;

/**
 * What one watch follows: a kind, in one namespace or in a set of them (null: every namespace), of
 * one parent (the job whose runs, the pipeline whose runs) or of any.
 */
public record WatchTarget(Change.Kind kind, String namespace, Set<String> namespaces, UUID parent) {

  public static WatchTarget jobs(String namespace) {
    return new WatchTarget(Change.Kind.JOB, namespace, null, null);
  }

  /** Jobs of every namespace {@code visible} holds (empty: every namespace). */
  public static WatchTarget allJobs(java.util.Optional<Set<String>> visible) {
    return new WatchTarget(Change.Kind.JOB, null, visible.map(Set::copyOf).orElse(null), null);
  }

  public static WatchTarget runs(String namespace, UUID job) {
    return new WatchTarget(Change.Kind.RUN, namespace, null, job);
  }

  public static WatchTarget pipelineRuns(String namespace, UUID pipeline) {
    return new WatchTarget(Change.Kind.PIPELINE_RUN, namespace, null, pipeline);
  }

  boolean matches(Change change) {
    return change.kind() == kind
        && (namespace == null || namespace.equals(change.namespace()))
        && (namespaces == null || namespaces.contains(change.namespace()))
        && (parent == null || parent.equals(change.parentId()));
  }
}
