package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.render.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Watches every object Sluice manages (label-selected, so the caches hold Sluice's objects and
 * nothing else) and indexes them by job id. The caches keep slimmed copies ({@link SlimStore}), so
 * their size does not follow the size of jobs' config and environment. The reconciler reads
 * desired-versus-actual from here instead of asking the API server, and the status observer is fed
 * by its events.
 */
public class ClusterCache {
  private static final Logger LOG = Logger.getLogger(ClusterCache.class);
  static final String BY_JOB = "byJob";

  /** The kinds Sluice creates, in the order they are cleaned up. */
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class,
          CronJob.class,
          Deployment.class,
          StatefulSet.class,
          Service.class,
          ConfigMap.class,
          Job.class,
          Pod.class,
          PersistentVolumeClaim.class);

  /** Told about every add, update and delete of a managed object. */
  public interface Listener {
    void changed(HasMetadata before, HasMetadata after);
  }

  private final Map<Class<?>, SharedIndexInformer<? extends HasMetadata>> informers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private KubernetesClient client;
  private long resyncMillis;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Starts one informer per kind; they keep retrying while the API server is unreachable. */
  public void start(KubernetesClient client, long resyncMillis) {
    this.client = client;
    this.resyncMillis = resyncMillis;
    for (Class<? extends HasMetadata> kind : KINDS) {
      informers.put(kind, inform(client, kind, resyncMillis));
    }
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      KubernetesClient client, Class<T> kind, long resyncMillis) {
    SharedIndexInformer<T> informer =
        client
            .resources(kind)
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .runnableInformer(resyncMillis);
    informer.itemStore(SlimStore.of(kind));
    informer.addIndexers(Map.of(BY_JOB, o -> jobId(o).map(List::of).orElse(List.of())));
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            publish(null, obj);
          }

          @Override
          public void onUpdate(T before, T after) {
            publish(before, after);
          }

          @Override
          public void onDelete(T obj, boolean unknownFinalState) {
            publish(obj, null);
          }
        });
    informer.exceptionHandler(
        (started, t) -> {
          LOG.warnf("Watch of %s failed (%s); retrying", kind.getSimpleName(), t.getMessage());
          return true;
        });
    informer.start();
    return informer;
  }

  private void publish(HasMetadata before, HasMetadata after) {
    for (Listener listener : listeners) {
      try {
        listener.changed(before, after);
      } catch (RuntimeException e) {
        // One bad object or listener must not stop the watch for every other object.
        LOG.warnf(e, "Listener failed on %s", describe(after != null ? after : before));
      }
    }
  }

  public void stop() {
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
  }

  /**
   * Checks every kind's cache against the API server and lists afresh any kind whose server went
   * backwards: a collection resourceVersion lower than one the cache holds means the server lost
   * state (restored or restarted empty) without the watch noticing, and a cache that trusts itself
   * would never recreate what is gone. Objects the new list lacks are reported as deleted, so their
   * jobs are reconciled at once. Returns the kinds listed afresh.
   */
  public List<String> verify(java.time.Duration syncTimeout) {
    List<String> relisted = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : KINDS) {
      SharedIndexInformer<? extends HasMetadata> informer = informers.get(kind);
      if (informer == null || !informer.hasSynced()) {
        continue;
      }
      String serverVersion =
          client
              .resources(kind)
              .inAnyNamespace()
              .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
              .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build())
              .getMetadata()
              .getResourceVersion();
      List<String> cached =
          informer.getStore().list().stream()
              .map(o -> o.getMetadata().getResourceVersion())
              .toList();
      if (wentBackwards(serverVersion, cached)) {
        LOG.warnf(
            "The API server's %s collection is at resourceVersion %s, behind this cache: it lost"
                + " state; listing afresh",
            kind.getSimpleName(), serverVersion);
        relist(kind, syncTimeout);
        relisted.add(kind.getSimpleName());
      }
    }
    return relisted;
  }

  /**
   * True when the server's collection version is numerically below the newest version cached.
   * Versions are opaque to clients in general; those of etcd-backed servers (and of the test
   * server) are integers, and only then is the comparison made.
   */
  static boolean wentBackwards(String serverVersion, java.util.Collection<String> cachedVersions) {
    Long server = asLong(serverVersion);
    if (server == null) {
      return false;
    }
    long newest = Long.MIN_VALUE;
    for (String v : cachedVersions) {
      Long cached = asLong(v);
      if (cached != null && cached > newest) {
        newest = cached;
      }
    }
    return newest > server;
  }

  private static Long asLong(String version) {
    try {
      return version == null ? null : Long.valueOf(version);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private <T extends HasMetadata> void relist(Class<T> kind, java.time.Duration syncTimeout) {
    @SuppressWarnings("unchecked")
    SharedIndexInformer<T> old = (SharedIndexInformer<T>) informers.get(kind);
    List<T> before = old.getStore().list();
    SharedIndexInformer<T> fresh = inform(client, kind, resyncMillis);
    informers.put(kind, fresh);
    old.stop();
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    while (!fresh.hasSynced() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (T gone : before) {
      if (fresh.getStore().get(gone) == null) {
        publish(gone, null);
      }
    }
  }

  /** True once every informer has listed its kind at least once. */
  public boolean synced() {
    return !informers.isEmpty()
        && informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** True while every watch is running; part of readiness. */
  public boolean watching() {
    return !informers.isEmpty()
        && informers.values().stream().allMatch(SharedIndexInformer::isWatching);
  }

  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name) {
    SharedIndexInformer<T> informer = (SharedIndexInformer<T>) informers.get(kind);
    return informer == null
        ? Optional.empty()
        : Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
  }

  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> List<T> byJob(Class<T> kind, String jobId) {
    SharedIndexInformer<T> informer = (SharedIndexInformer<T>) informers.get(kind);
    return informer == null
        ? List.of()
        : new ArrayList<>(informer.getIndexer().byIndex(BY_JOB, jobId));
  }

  /**
   * The job's objects of every kind Sluice renders (not pods), each as kind/name@resourceVersion:
   * equal sets mean nothing of the job changed in the cluster in between.
   */
  public java.util.Set<String> versions(String jobId) {
    java.util.Set<String> versions = new java.util.HashSet<>();
    informers.forEach(
        (kind, informer) -> {
          if (kind != Pod.class) {
            for (HasMetadata o : informer.getIndexer().byIndex(BY_JOB, jobId)) {
              versions.add(version(o));
            }
          }
        });
    return versions;
  }

  /** One object as {@link #versions} lists it: kind/name@resourceVersion. */
  public static String version(HasMetadata o) {
    return o.getKind()
        + "/"
        + o.getMetadata().getName()
        + "@"
        + o.getMetadata().getResourceVersion();
  }

  /** Ids of every job with at least one object in the cluster; for garbage collection. */
  public java.util.Set<String> jobIds() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (SharedIndexInformer<? extends HasMetadata> informer : informers.values()) {
      for (HasMetadata o : informer.getStore().list()) {
        jobId(o).ifPresent(ids::add);
      }
    }
    return ids;
  }

  public static Optional<String> jobId(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(Labels.JOB_ID));
  }

  static String describe(HasMetadata o) {
    return o == null
        ? "?"
        : o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
