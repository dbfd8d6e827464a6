package io.sluice.reconcile;

import static io.sluice.support.Api.createJobOk;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.render.Labels;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The API server loses its objects without a watch event (restored, or restarted empty): the next
 * check of the caches notices, and the reconciler recreates what is gone instead of trusting a
 * cache that still shows it.
 */
@QuarkusTest
@WithKubernetesTestServer
class ServerLostStateTest {
  @Inject KubernetesClient client;
  @Inject ReconcileRuntime runtime;
  @KubernetesTestServer KubernetesServer server;

  @Test
  void objectsTheServerLostAreRecreatedAfterTheCacheCheck() {
    String ns = Fixtures.namespace();
    createJobOk(ns, Fixtures.serviceJob("survivor"));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deployments(ns).size() == 1);
    String before = deployments(ns).get(0).getMetadata().getUid();

    server.getKubernetesMockServer().reset();
    assertTrue(deployments(ns).isEmpty(), "the server lost its objects, and told no watch");

    List<String> relisted = runtime.cache().verify(Duration.ofSeconds(10));
    assertTrue(relisted.contains("Deployment"), relisted.toString());
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deployments(ns).size() == 1);
    Deployment after = deployments(ns).get(0);
    assertTrue(!before.equals(after.getMetadata().getUid()), "recreated, not remembered");
    // Once what the reconciler recreated has reached the caches, they mirror the server again.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runtime.cache().verify(Duration.ofSeconds(10)).isEmpty());
  }

  private List<Deployment> deployments(String ns) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withLabel(Labels.NAME, "survivor")
        .list()
        .getItems();
  }
}
