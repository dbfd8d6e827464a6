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

  /**
   * The engines' custom resources: watched only while their operator's CRD is served (an informer
   * on a kind the API server lacks would fail and retry forever, and fail readiness with it).
   */
  public static final List<Class<? extends HasMetadata>> ENGINE_KINDS =
      List.of(io.sluice.engine.SparkApplication.class, io.sluice.engine.FlinkDeployment.class);

  /**
   * The verbs Sluice uses on each engine kind, and no more (the RBAC test holds the ClusterRole to
   * them): informers list and watch; a pass creates; lost-run checks get; cancel and purge delete;
   * a FlinkDeployment's new revision or scale is an update. A run's SparkApplication is never
   * updated.
   */
  public static final Map<Class<? extends HasMetadata>, List<String>> ENGINE_VERBS =
      Map.of(
          io.sluice.engine.SparkApplication.class,
          List.of("get", "list", "watch", "create", "delete"),
          io.sluice.engine.FlinkDeployment.class,
          List.of("get", "list", "watch", "create", "update", "delete"));

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

  /** Starts watching an engine's custom resource, once its CRD is served. */
  public void startEngine(Class<? extends HasMetadata> kind) {
    if (client != null && !informers.containsKey(kind)) {
      informers.put(kind, inform(client, kind, resyncMillis));
    }
  }

  /** Stops watching an engine's custom resource whose CRD went away. */
  public void stopEngine(Class<? extends HasMetadata> kind) {
    SharedIndexInformer<? extends HasMetadata> informer = informers.remove(kind);
    if (informer != null) {
      informer.stop();
    }
  }

  /** The kinds watched now, engines' custom resources first (the order to delete a job's in). */
  public List<Class<? extends HasMetadata>> kinds() {
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>();
    ENGINE_KINDS.stream().filter(informers::containsKey).forEach(kinds::add);
    kinds.addAll(KINDS);
    return kinds;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      KubernetesClient client, Class<T> kind, long resyncMillis) {
    SharedIndexInformer<T> informer =
        client
            .resources(kind)
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .runnableInformer(resyncMillis);
    informer.itemStore(new SlimStore<>());
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
   * Checks every kind's cache against the API server, and lists afresh any kind the cache no longer
   * mirrors: the server's collection is behind the newest version cached (it was restored or
   * restarted empty), or the cache holds objects, older than the server's list, that the server no
   * longer has, or lacks objects older than the newest it holds (a gap in the watch). A cache that
   * trusted itself would never recreate what the server lost. Objects the fresh list lacks are
   * reported as deleted, so their jobs are reconciled at once. Lists in pages of {@link #PAGE}, so
   * memory stays bounded. Returns the kinds listed afresh.
   */
  public List<String> verify(java.time.Duration syncTimeout) {
    List<String> relisted = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : kinds()) {
      SharedIndexInformer<? extends HasMetadata> informer = informers.get(kind);
      if (informer == null || !informer.hasSynced()) {
        continue;
      }
      Map<String, String> cached = keysAndVersions(informer.getStore().list());
      Listed server = listKeysAndVersions(kind);
      if (needsRelist(server.version(), server.items(), cached)
          && stillDiffers(informer, server, cached)) {
        LOG.warnf(
            "The cache of %s no longer mirrors the API server (server at resourceVersion %s, %d"
                + " objects; cache %d; e.g. %s): listing afresh",
            kind.getSimpleName(),
            server.version(),
            server.items().size(),
            cached.size(),
            firstDifference(server.items(), cached));
        relist(kind, syncTimeout);
        relisted.add(kind.getSimpleName());
      }
    }
    return relisted;
  }

  /** One key the two sides disagree on, for the log. */
  private static String firstDifference(Map<String, String> server, Map<String, String> cached) {
    for (Map.Entry<String, String> e : cached.entrySet()) {
      if (!e.getValue().equals(server.get(e.getKey()))) {
        return e.getKey() + " cached@" + e.getValue() + " server@" + server.get(e.getKey());
      }
    }
    for (Map.Entry<String, String> e : server.entrySet()) {
      if (!cached.containsKey(e.getKey())) {
        return e.getKey() + " server@" + e.getValue() + " not cached";
      }
    }
    return "resourceVersion";
  }

  /** How long events in flight get to reach the cache before a difference counts. */
  static final java.time.Duration GRACE = java.time.Duration.ofSeconds(2);

  /**
   * A difference may be an event still on its way (an object deleted or created while the list was
   * taken): look again once it has had time to arrive.
   */
  private boolean stillDiffers(
      SharedIndexInformer<? extends HasMetadata> informer,
      Listed server,
      Map<String, String> before) {
    if (wentBackwards(server.version(), before)) {
      return true;
    }
    try {
      Thread.sleep(GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    Map<String, String> after = keysAndVersions(informer.getStore().list());
    return confirmed(server.version(), server.items(), before, after);
  }

  /**
   * Whether a difference holds once events in flight arrived: an object the cache still holds,
   * older than the list, that the server lacks; or one the server listed, older than what the cache
   * had seen, that the cache held neither before the list nor after.
   */
  static boolean confirmed(
      String serverVersion,
      Map<String, String> server,
      Map<String, String> before,
      Map<String, String> after) {
    Long listed = asLong(serverVersion);
    if (listed == null) {
      return false;
    }
    for (Map.Entry<String, String> e : after.entrySet()) {
      Long version = asLong(e.getValue());
      if (!server.containsKey(e.getKey()) && version != null && version < listed) {
        return true;
      }
    }
    long newest = Math.max(newest(before), newest(after));
    for (Map.Entry<String, String> e : server.entrySet()) {
      Long version = asLong(e.getValue());
      if (!before.containsKey(e.getKey())
          && !after.containsKey(e.getKey())
          && version != null
          && version < newest) {
        return true;
      }
    }
    return false;
  }

  /** Objects per page when checking a cache against the server. */
  static final long PAGE = 50;

  private record Listed(String version, Map<String, String> items) {}

  private Listed listKeysAndVersions(Class<? extends HasMetadata> kind) {
    Map<String, String> items = new java.util.HashMap<>();
    String version = null;
    String next = null;
    do {
      var page =
          client
              .resources(kind)
              .inAnyNamespace()
              .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
              .list(
                  new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                      .withLimit(PAGE)
                      .withContinue(next)
                      .build());
      if (version == null) {
        version = page.getMetadata().getResourceVersion();
      }
      items.putAll(keysAndVersions(page.getItems()));
      next = page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return new Listed(version, items);
  }

  private static Map<String, String> keysAndVersions(List<? extends HasMetadata> objects) {
    Map<String, String> out = new java.util.HashMap<>();
    for (HasMetadata o : objects) {
      out.put(
          o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
          String.valueOf(o.getMetadata().getResourceVersion()));
    }
    return out;
  }

  /**
   * Whether a cache ({@code cached}: key to resourceVersion, read before the server's list) no
   * longer mirrors the server ({@code server} listed at {@code serverVersion}). Versions are opaque
   * to clients in general; those of etcd-backed servers (and of the test server) are integers, and
   * only then are they compared.
   */
  static boolean needsRelist(
      String serverVersion, Map<String, String> server, Map<String, String> cached) {
    return wentBackwards(serverVersion, cached) || confirmed(serverVersion, server, cached, cached);
  }

  /** The server's list is behind the newest version the cache held before it was taken. */
  static boolean wentBackwards(String serverVersion, Map<String, String> cached) {
    Long listed = asLong(serverVersion);
    return listed != null && newest(cached) > listed;
  }

  private static long newest(Map<String, String> versions) {
    long newest = Long.MIN_VALUE;
    for (String v : versions.values()) {
      Long version = asLong(v);
      if (version != null && version > newest) {
        newest = version;
      }
    }
    return newest;
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
