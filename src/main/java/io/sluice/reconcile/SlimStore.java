package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.stream.Stream;

/**
 * An informer store that keeps only what Sluice reads of an object, so the caches do not grow with
 * what jobs put in their specs:
 *
 * <ul>
 *   <li>every kind loses its managed fields (often larger than the spec);
 *   <li>a ConfigMap keeps its metadata, not its data: Sluice's ConfigMaps are immutable and named
 *       by their content's hash, so their data is never compared;
 *   <li>a Pod keeps its status, labels and placement, not its containers' environment, arguments or
 *       commands, which the status observer never reads;
 *   <li>a workload (Deployment, StatefulSet, Job, CronJob) keeps its spec with each container's
 *       environment, arguments and command replaced by their digest ({@link ContainerDigest}),
 *       which is what {@link Matcher} compares;
 *   <li>a run's SparkApplication keeps its labels and status, not its spec (never updated);
 *   <li>a FlinkDeployment loses the two copies of its spec the operator keeps in its status.
 * </ul>
 *
 * <p>Objects are reduced in place as they are stored: the informer hands the same object to the
 * event handlers, so the "before" and "after" of an update event are reduced alike.
 */
final class SlimStore<T extends HasMetadata> implements ItemStore<T> {
  private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  /** Drops from {@code object} what no reader of the cache needs. */
  static <T extends HasMetadata> T reduce(T object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    if (object instanceof ConfigMap configMap) {
      configMap.setData(null);
      configMap.setBinaryData(null);
    } else if (object instanceof Pod pod) {
      if (pod.getSpec() != null) {
        strip(pod.getSpec().getContainers());
        strip(pod.getSpec().getInitContainers());
      }
    } else if (object instanceof io.sluice.engine.SparkApplication app) {
      // A run's application is never updated, so its spec is never compared: only its labels
      // and status are read.
      app.setSpec(null);
    } else if (object instanceof io.sluice.engine.FlinkDeployment flink) {
      // The operator keeps two copies of the whole spec in its status; Sluice reads neither.
      if (flink.getStatus() != null && flink.getStatus().reconciliationStatus != null) {
        flink.getStatus().reconciliationStatus.lastReconciledSpec = null;
        flink.getStatus().reconciliationStatus.lastStableSpec = null;
      }
    } else {
      ContainerDigest.reduce(object);
    }
    return object;
  }

  private static void strip(List<Container> containers) {
    if (containers != null) {
      for (Container c : containers) {
        c.setEnv(null);
        c.setEnvFrom(null);
        c.setArgs(null);
        c.setCommand(null);
      }
    }
  }

  @Override
  public String getKey(T object) {
    return store.getKey(object);
  }

  @Override
  public T put(String key, T object) {
    return store.put(key, reduce(object));
  }

  @Override
  public T remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<T> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public T get(String key) {
    return store.get(key);
  }
}
