package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jboss.logging.Logger;

/**
 * Does on a spare thread, while start-up is busy elsewhere (the datasource, Flyway, templates), two
 * pieces of work the Kubernetes client would otherwise do on the start-up path:
 *
 * <ul>
 *   <li>loads the JDK's default trust anchors (some 150 certificates parsed from {@code cacerts}).
 *       The client's TLS set-up reads them while the client is created, on the main thread; the JDK
 *       keeps the parsed set while anything holds it, so this thread keeps it and the client's read
 *       is a cache hit. About a tenth of the main thread's start-up samples went there.
 *   <li>builds the client's JSON deserializers for the kinds Sluice watches. Without it the
 *       informers' first list responses build them on a Vert.x event loop — about half a second of
 *       work that the HTTP server's start waits behind.
 * </ul>
 *
 * Best effort: if anything fails, the client does the work itself as before.
 */
public final class StartupWarmup {
  private static final Logger LOG = Logger.getLogger(StartupWarmup.class);
  private static final long WAIT_FOR_CONTAINER_MILLIS = 30_000;

  /** Held for the process's life, so the JDK's cached trust anchors stay loaded (see above). */
  private static volatile TrustManager[] defaultTrust;

  private StartupWarmup() {}

  /** Starts the warm-up on a daemon thread; returns at once. */
  public static void start() {
    Thread thread = new Thread(StartupWarmup::run, "sluice-serializer-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    long start = System.nanoTime();
    int anchors = loadTrustAnchors();
    LOG.debugf(
        "%d trust anchors loaded in %d ms",
        anchors, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
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

  /** Loads the JDK's default trust anchors and keeps them; returns how many there are. */
  static int loadTrustAnchors() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      defaultTrust = factory.getTrustManagers();
      int anchors = 0;
      for (TrustManager manager : defaultTrust) {
        if (manager instanceof X509TrustManager x509) {
          anchors += x509.getAcceptedIssuers().length;
        }
      }
      return anchors;
    } catch (GeneralSecurityException | RuntimeException e) {
      LOG.debugf(e, "Trust anchors not preloaded");
      return 0;
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
