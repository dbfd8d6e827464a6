package io.sluice.job;

import static io.sluice.support.Api.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent writers never produce duplicates, gaps or 500s. */
@QuarkusTest
@WithKubernetesTestServer
class JobConcurrencyTest {
  private final String ns = Fixtures.namespace();

  @Test
  void racingCreatesOfOneNameYieldOneJobAndConflictsForTheRest() throws Exception {
    List<Integer> statuses =
        race(16, () -> createJob(ns, Fixtures.batchJob("contended")).statusCode());

    assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
    assertEquals(15, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    assertEquals(1, Db.count("select count(*) from jobs where namespace = ?", ns));
  }

  @Test
  void racingCreatesNeverTakeANamespacePastItsQuotaAndADeleteFreesAPlace() throws Exception {
    String racing = "racing"; // max-jobs=3 (application.properties, test profile)
    AtomicInteger names = new AtomicInteger();
    List<Integer> statuses =
        race(
            16,
            () -> createJob(racing, Fixtures.batchJob("r" + names.incrementAndGet())).statusCode());

    assertEquals(3, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
    assertEquals(13, statuses.stream().filter(s -> s == 422).count(), statuses.toString());
    assertEquals(3, liveJobs(racing));
    assertEquals(
        9,
        Db.rowsInNamespace(racing),
        "3 jobs, their revisions and audit events; nothing of a refused create");

    String name =
        request().get(jobsPath(racing)).then().statusCode(200).extract().path("items[0].name");
    request().delete(jobPath(racing, name)).then().statusCode(202);
    createJob(racing, Fixtures.batchJob("after-delete")).then().statusCode(201);
    createJob(racing, Fixtures.batchJob("one-too-many"))
        .then()
        .statusCode(422)
        .body("errors.rule", org.hamcrest.Matchers.hasItem("maxJobs"));
    assertEquals(3, liveJobs(racing));
  }

  private static long liveJobs(String namespace) {
    return Db.count(
        "select count(*) from jobs where namespace = ? and deleted_at is null", namespace);
  }

  @Test
  void racingUpdatesEachGetTheirOwnRevisionWithoutGaps() throws Exception {
    String id = createJobOk(ns, Fixtures.batchJob("busy")).path("id");
    List<Integer> statuses =
        race(
            8,
            () -> {
              Map<String, Object> spec =
                  Fixtures.with(
                      Fixtures.batchSpec(), "image", "ghcr.io/acme/ingest:" + UUID.randomUUID());
              return request().body(Map.of("spec", spec)).put(jobPath(ns, "busy")).statusCode();
            });

    assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200), statuses);
    assertEquals(
        9, Db.count("select count(*) from job_revisions where job_id = ?", UUID.fromString(id)));
    assertEquals(
        9,
        Db.count("select max(revision) from job_revisions where job_id = ?", UUID.fromString(id)));
    getJob(ns, "busy").then().body("revision", org.hamcrest.Matchers.is(9));
  }

  private static List<Integer> race(int n, Callable<Integer> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(call));
      }
      List<Integer> results = new ArrayList<>();
      for (Future<Integer> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
