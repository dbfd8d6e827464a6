package io.sluice.reconcile;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bounded load (loopback only, a few seconds) of concurrent clients creating jobs and runs, then
 * a consistency check: every 201 has its rows and its Kubernetes objects, nothing extra.
 */
@QuarkusTest
@WithKubernetesTestServer
class LoadConsistencyTest {
  private static final int CLIENTS = 8;
  private static final Duration FOR = Duration.ofSeconds(4);
  private static final int MAX_PER_CLIENT = 25;

  @Inject KubernetesClient client;

  private final String ns = Fixtures.namespace();

  @Test
  void everyAcceptedRequestHasItsRowsAndObjectsAndNothingMore() throws Exception {
    Set<String> jobs = ConcurrentHashMap.newKeySet();
    Set<String> runs = ConcurrentHashMap.newKeySet();
    Instant stop = Instant.now().plus(FOR);
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      int clientNo = c;
      pool.submit(
          () -> {
            for (int i = 0; i < MAX_PER_CLIENT && Instant.now().isBefore(stop); i++) {
              String name = "load-" + clientNo + "-" + i;
              // Every request is sent twice with its key, as a client whose first response was
              // lost.
              for (int attempt = 0; attempt < 2; attempt++) {
                int created =
                    request()
                        .header("Idempotency-Key", name)
                        .body(Fixtures.batchJob(name))
                        .post(jobsPath(ns))
                        .statusCode();
                if (created == 201) {
                  jobs.add(name);
                }
                int run =
                    request()
                        .header("Idempotency-Key", name + "-run")
                        .post(jobPath(ns, name) + "/runs")
                        .statusCode();
                if (run == 201) {
                  runs.add(name + "-1");
                }
              }
            }
          });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));

    assertFalse(jobs.isEmpty());
    assertEquals(
        jobs.size(),
        Db.count("select count(*) from jobs where namespace = ?", ns),
        "one row per accepted job");
    assertEquals(
        runs.size(),
        Db.count("select count(*) from runs where namespace = ?", ns),
        "one row per accepted run");
    eventually(
        () -> {
          List<String> k8sJobs =
              client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                  .map(j -> j.getMetadata().getName())
                  .toList();
          assertEquals(
              runs, Set.copyOf(k8sJobs), "exactly the accepted runs have a Kubernetes Job");
          assertEquals(runs.size(), k8sJobs.size());
        });
    eventually(
        () ->
            assertEquals(
                jobs.size(),
                client.persistentVolumeClaims().inNamespace(ns).list().getItems().size()));
  }
}
