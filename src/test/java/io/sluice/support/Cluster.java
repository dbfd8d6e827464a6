package io.sluice.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ThrowingRunnable;

/** Waiting for the reconciler and the observer, which work asynchronously. */
public final class Cluster {
  private Cluster() {}

  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** Waits until {@code assertion} passes, failing with its last error after the timeout. */
  public static void eventually(ThrowingRunnable assertion) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion);
  }

  /** Waits until the object exists, and returns it. */
  public static <T extends HasMetadata> T exists(Callable<T> get) {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(get, o -> o != null);
  }

  public static void gone(Callable<? extends HasMetadata> get) {
    eventually(() -> org.junit.jupiter.api.Assertions.assertNull(get.call()));
  }

  /**
   * Reports a Deployment's rollout done, as its controller would: the current generation observed
   * and every replica updated, available and ready (the test server runs no controller).
   */
  public static void reportRolledOut(
      KubernetesClient client, String namespace, String name, int replicas) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            d -> {
              d.setStatus(
                  new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                      .withReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .build());
              return d;
            });
  }

  /** Calls that only make sense against the test server. */
  public static String describe(KubernetesClient client) {
    return client.getMasterUrl().toString();
  }
}
