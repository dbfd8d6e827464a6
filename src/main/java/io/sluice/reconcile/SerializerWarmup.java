package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Builds the Kubernetes client's JSON deserializers for the kinds Sluice watches on a spare thread
 * while start-up is busy elsewhere (the datasource, Flyway). Without it the informers' first list
 * responses build them on a Vert.x event loop — about half a second of work that the HTTP server's
 * start waits behind. Later, once the watches have synced, the stored specs' readers and writers
 * ({@link #specs}). Best effort: if anything fails, their first users build them as before.
 */
public final class SerializerWarmup {
  private static final Logger LOG = Logger.getLogger(SerializerWarmup.class);
  private static final long WAIT_FOR_CONTAINER_MILLIS = 30_000;

  private SerializerWarmup() {}

  /** Starts the warm-up on a daemon thread; returns at once. */
  public static void start() {
    Thread thread = new Thread(SerializerWarmup::run, "sluice-serializer-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    long start = System.nanoTime();
    try {
      ArcContainer container = awaitContainer();
      if (container == null) {
        return;
      }
      // The client's serialization depends only on build-time data, so creating it this early
      // yields the same instance (and deserializer cache) the informers use.
      int built = warm(container.instance(KubernetesSerialization.class).get());
      LOG.debugf(
          "Deserializers of %d watched kinds built in %d ms",
          built, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (RuntimeException | LinkageError e) {
      LOG.debugf(e, "Deserializer warm-up skipped");
    }
  }

  /**
   * Builds the readers and writers of stored specs and conditions ({@link
   * io.sluice.job.SpecCodec#warm}). The reconcile loop calls it once the watches have synced,
   * before its first claim: after start-up, so the start does not wait for it, and before the first
   * passes (a restart's first resync reads every job's spec at once), so they need not build them.
   */
  static void specs() {
    long start = System.nanoTime();
    try {
      io.sluice.job.SpecCodec.warm();
      LOG.debugf(
          "Spec readers and writers built in %d ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (RuntimeException | LinkageError e) {
      LOG.debugf(e, "Spec codec warm-up skipped");
    }
  }

  /**
   * Reads an empty list of every watched kind, as an informer's first list does; returns how many
   * kinds it could. Building the root deserializer resolves the whole object graph beneath it.
   */
  static int warm(KubernetesSerialization serialization) {
    int built = 0;
    for (Class<? extends HasMetadata> kind : ClusterCache.KINDS) {
      try {
        Class<?> list = Class.forName(kind.getName() + "List", true, kind.getClassLoader());
        if (serialization.unmarshal("{\"items\":[]}", list) != null) {
          built++;
        }
      } catch (ClassNotFoundException e) {
        LOG.debugf("No list type for %s", kind.getName());
      }
    }
    return built;
  }

  private static ArcContainer awaitContainer() {
    long deadline = System.currentTimeMillis() + WAIT_FOR_CONTAINER_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      ArcContainer container = Arc.container();
      if (container != null && container.isRunning()) {
        return container;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
