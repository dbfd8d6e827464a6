package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.render.Desired;
import io.sluice.render.Labels;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The only class that writes to the Kubernetes API. Creates what is missing, updates what differs
 * against the resourceVersion it read (re-reading and retrying a bounded number of times when it
 * loses a race), and deletes. It never touches an object without Sluice's labels, and never one
 * that belongs to another Sluice job.
 */
public class Applier {
  private static final Logger LOG = Logger.getLogger(Applier.class);

  private final KubernetesClient client;
  private final ClusterCache cache;
  private final int conflictRetries;
  private final ThreadPoolExecutor creates;

  /**
   * @param parallelCreates how many of one pass's run Jobs are created at once: a job that
   *     collected several runs since its last pass submits them in about one API round trip
   */
  public Applier(
      KubernetesClient client, ClusterCache cache, int conflictRetries, int parallelCreates) {
    this.client = client;
    this.cache = cache;
    this.conflictRetries = conflictRetries;
    AtomicInteger n = new AtomicInteger();
    this.creates =
        new ThreadPoolExecutor(
            parallelCreates,
            parallelCreates,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "sluice-create-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    creates.allowCoreThreadTimeOut(true);
  }

  /** Stops the threads that create run Jobs; passes still running finish their creates first. */
  public void close() {
    creates.shutdown();
  }

  /**
   * What applying changed, for logs and events; {@code written} lists the objects created or
   * updated as the API server returned them (see {@link ClusterCache#version}), and {@code objects}
   * holds those objects: what the watches will show of them next.
   */
  public record Outcome(
      int created, int updated, java.util.Set<String> written, List<HasMetadata> objects) {
    static final Outcome NONE = new Outcome(0, 0, java.util.Set.of(), List.of());

    /** The object of this kind and name as this pass wrote it; empty when it did not write it. */
    public <T extends HasMetadata> Optional<T> wrote(Class<T> kind, String namespace, String name) {
      return objects.stream()
          .filter(kind::isInstance)
          .map(kind::cast)
          .filter(
              o ->
                  name.equals(o.getMetadata().getName())
                      && namespace.equals(o.getMetadata().getNamespace()))
          .findFirst();
    }
  }

  public Outcome apply(UUID jobId, List<Desired> desired) {
    Map<String, HasMetadata> applied = new HashMap<>();
    List<Result> results = new java.util.ArrayList<>();
    List<HasMetadata> runJobs = new java.util.ArrayList<>();
    for (Desired d : desired) {
      if (isRunObject(d.resource()) && d.owner() == null) {
        runJobs.add(d.resource());
        continue;
      }
      Result result = applyOne(jobId, withOwner(d, applied));
      applied.put(d.kind() + "/" + d.name(), result.object());
      results.add(result);
    }
    results.addAll(applyAll(jobId, runJobs));
    java.util.Set<String> written = new java.util.HashSet<>();
    List<HasMetadata> objects = new java.util.ArrayList<>();
    int created = 0;
    int updated = 0;
    for (Result result : results) {
      created += result.created() ? 1 : 0;
      updated += result.updated() ? 1 : 0;
      if (result.created() || result.updated()) {
        written.add(ClusterCache.version(result.object()));
        objects.add(result.object());
      }
    }
    return new Outcome(created, updated, written, objects);
  }

  /**
   * Applies independent objects (run Jobs: no owner, nothing depends on them) concurrently and
   * waits for all; the first failure is thrown once every attempt has ended, so what was created is
   * found by the next pass.
   */
  private List<Result> applyAll(UUID jobId, List<HasMetadata> objects) {
    if (objects.size() <= 1) {
      return objects.stream().map(o -> applyOne(jobId, o)).toList();
    }
    List<CompletableFuture<Result>> pending =
        objects.stream()
            .map(o -> CompletableFuture.supplyAsync(() -> applyOne(jobId, o), creates))
            .toList();
    List<Result> results = new java.util.ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<Result> f : pending) {
      try {
        results.add(f.join());
      } catch (CompletionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new ApplyException(
                      ApplyException.Reason.KubernetesApiError,
                      "Creating a run's Job failed (" + e.getCause() + ")");
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return results;
  }

  private record Result(HasMetadata object, boolean created, boolean updated) {}

  private Result applyOne(UUID jobId, HasMetadata want) {
    Optional<? extends HasMetadata> cached =
        cache.get(want.getClass(), want.getMetadata().getNamespace(), want.getMetadata().getName());
    HasMetadata actual = cached.orElse(null);
    if (actual == null) {
      try {
        return new Result(client.resource(want).create(), true, false);
      } catch (KubernetesClientException e) {
        if (statusCode(e) != 409) {
          throw failure("create", want, e);
        }
        // Already there: made by an earlier attempt of ours (fine) or by someone else (not fine).
        actual = read(want);
        if (actual == null) {
          throw new ApplyException(
              ApplyException.Reason.KubernetesApiError,
              describe(want) + " vanished while being created");
        }
      }
    }
    checkOwnership(jobId, want, actual);
    if (!updatable(want) || Matcher.matches(want, actual)) {
      return new Result(actual, false, false);
    }
    return new Result(update(want, actual), false, true);
  }

  /** A run's own object: its Kubernetes Job, or its SparkApplication. */
  static boolean isRunObject(HasMetadata o) {
    return o instanceof Job || o instanceof io.sluice.engine.SparkApplication;
  }

  /**
   * Claims, ConfigMaps (immutable, named by content) and runs' objects are never updated in place
   * (the Spark operator would run an edited application again).
   */
  private static boolean updatable(HasMetadata want) {
    return !(want instanceof PersistentVolumeClaim)
        && !isRunObject(want)
        && !(want instanceof io.fabric8.kubernetes.api.model.ConfigMap);
  }

  private HasMetadata update(HasMetadata want, HasMetadata actual) {
    HasMetadata current = actual;
    for (int attempt = 0; ; attempt++) {
      HasMetadata replacement = merge(want, current);
      try {
        return client.resource(replacement).update();
      } catch (KubernetesClientException e) {
        if (statusCode(e) == 409 && attempt < conflictRetries) {
          LOG.debugf("Conflict updating %s; re-reading (attempt %d)", describe(want), attempt + 1);
          current = read(want);
          if (current == null) {
            return client.resource(want).create();
          }
          continue;
        }
        if (statusCode(e) == 422 && want instanceof StatefulSet) {
          // volumeClaimTemplates and some other fields are immutable: replace the StatefulSet,
          // leaving its pods and claims in place for the new one to adopt.
          client.resource(current).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
          return client.resource(want).create();
        }
        throw failure("update", want, e);
      }
    }
  }

  /**
   * The desired object, carrying the resourceVersion that was read (so a concurrent change makes
   * the update fail instead of being overwritten) and annotations others put on it.
   */
  private static HasMetadata merge(HasMetadata want, HasMetadata actual) {
    HasMetadata copy = clone(want);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (actual.getMetadata().getAnnotations() != null) {
      annotations.putAll(actual.getMetadata().getAnnotations());
    }
    if (want.getMetadata().getAnnotations() != null) {
      annotations.putAll(want.getMetadata().getAnnotations());
    }
    copy.getMetadata().setAnnotations(annotations);
    copy.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
    copy.getMetadata().setFinalizers(actual.getMetadata().getFinalizers());
    return copy;
  }

  private static HasMetadata clone(HasMetadata o) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(o);
  }

  private static void checkOwnership(UUID jobId, HasMetadata want, HasMetadata actual) {
    Map<String, String> labels = actual.getMetadata().getLabels();
    if (!Labels.isManaged(labels)) {
      throw new ApplyException(
          ApplyException.Reason.ForeignObject,
          describe(want)
              + " already exists and is not managed by Sluice; rename the job or remove that object");
    }
    if (!jobId.toString().equals(labels.get(Labels.JOB_ID))) {
      throw new ApplyException(
          ApplyException.Reason.OwnedByAnotherJob,
          describe(want)
              + " belongs to another Sluice job (for example one still being deleted); retrying");
    }
  }

  private HasMetadata withOwner(Desired d, Map<String, HasMetadata> applied) {
    if (d.owner() == null) {
      return d.resource();
    }
    HasMetadata owner = applied.get(d.owner().kind() + "/" + d.owner().name());
    if (owner == null || owner.getMetadata().getUid() == null) {
      return d.resource();
    }
    HasMetadata copy = clone(d.resource());
    OwnerReference ref =
        new OwnerReferenceBuilder()
            .withApiVersion(d.owner().apiVersion())
            .withKind(d.owner().kind())
            .withName(d.owner().name())
            .withUid(owner.getMetadata().getUid())
            .withController(false)
            .withBlockOwnerDeletion(false)
            .build();
    copy.getMetadata().setOwnerReferences(List.of(ref));
    return copy;
  }

  private HasMetadata read(HasMetadata want) {
    try {
      return client.resource(want).get();
    } catch (KubernetesClientException e) {
      throw failure("read", want, e);
    }
  }

  /** Deletes one managed object; a missing object counts as deleted. */
  public void delete(HasMetadata object) {
    try {
      client.resource(object).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw failure("delete", object, e);
      }
    }
  }

  /** Deletes a run's object (its Kubernetes Job or SparkApplication) and, with it, its pods. */
  public void deleteRun(Class<? extends HasMetadata> kind, String namespace, String name) {
    try {
      client
          .resources(kind)
          .inNamespace(namespace)
          .withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new ApplyException(
            ApplyException.Reason.KubernetesApiError,
            "Deleting " + describe(kind, namespace, name) + " failed: HTTP " + e.getCode());
      }
    }
  }

  /** Sets the two fields of a running Job that scale and suspend change. */
  public void patchRunJob(Job running, Integer parallelism, Boolean suspend) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(running.getMetadata().getNamespace())
          .withName(running.getMetadata().getName())
          .edit(
              j -> {
                j.getSpec().setParallelism(parallelism);
                j.getSpec().setSuspend(suspend);
                return j;
              });
    } catch (KubernetesClientException e) {
      if (statusCode(e) != 404) {
        throw failure("patch", running, e);
      }
    }
  }

  /** Asks the API server directly whether a run's object exists (the cache may lag behind). */
  public boolean runExists(Class<? extends HasMetadata> kind, String namespace, String name) {
    try {
      return client.resources(kind).inNamespace(namespace).withName(name).get() != null;
    } catch (KubernetesClientException e) {
      throw new ApplyException(
          ApplyException.Reason.KubernetesApiError,
          "Reading " + describe(kind, namespace, name) + " failed: HTTP " + e.getCode());
    }
  }

  private static ApplyException failure(String verb, HasMetadata o, KubernetesClientException e) {
    ApplyException.Reason reason =
        statusCode(e) == 422 || statusCode(e) == 400 || statusCode(e) == 403
            ? ApplyException.Reason.Rejected
            : ApplyException.Reason.KubernetesApiError;
    String status = e.getCode() > 0 ? "HTTP " + e.getCode() : "no response";
    String why =
        e.getStatus() != null && e.getStatus().getReason() != null
            ? " (" + e.getStatus().getReason() + ")"
            : "";
    return new ApplyException(
        reason, "Kubernetes API: " + verb + " " + describe(o) + " failed: " + status + why);
  }

  /** The HTTP status behind a client failure; fabric8 sometimes wraps the one that has it. */
  static int statusCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        if (k.getCode() > 0) {
          return k.getCode();
        }
        if (k.getStatus() != null
            && k.getStatus().getCode() != null
            && k.getStatus().getCode() > 0) {
          return k.getStatus().getCode();
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return 0;
  }

  /** The class of the innermost cause, e.g. ConnectException; never its message. */
  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  static String describe(HasMetadata o) {
    return o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static String describe(Class<? extends HasMetadata> kind, String namespace, String name) {
    return HasMetadata.getKind(kind) + " " + namespace + "/" + name;
  }
}
