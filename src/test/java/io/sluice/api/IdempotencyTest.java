package io.sluice.api;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A retried POST with an Idempotency-Key creates nothing twice. */
@QuarkusTest
@WithKubernetesTestServer
class IdempotencyTest {
  @Inject KubernetesClient client;
  @Inject Idempotency idempotency;

  private final String ns = Fixtures.namespace();

  @Test
  void sameKeyAndBodyReplaysTheFirstAnswer() {
    String key = "airflow-dag-ingest-2026-11-26-task-1";
    Response first =
        request().header("Idempotency-Key", key).body(Fixtures.batchJob("once")).post(jobsPath(ns));
    first.then().statusCode(201);

    Response again =
        request().header("Idempotency-Key", key).body(Fixtures.batchJob("once")).post(jobsPath(ns));

    again
        .then()
        .statusCode(201)
        .header("Idempotent-Replayed", "true")
        .header("Location", first.header("Location"))
        .header("ETag", first.header("ETag"))
        .body("id", is((String) first.path("id")))
        .body("createdAt", is((String) first.path("createdAt")));
    assertEquals(1, Db.count("select count(*) from jobs where namespace = ?", ns));
  }

  @Test
  void sameKeyWithADifferentBodyIs422AndStoresNothing() {
    request()
        .header("Idempotency-Key", "k-1")
        .body(Fixtures.batchJob("first"))
        .post(jobsPath(ns))
        .then()
        .statusCode(201);
    request()
        .header("Idempotency-Key", "k-1")
        .body(Fixtures.batchJob("second"))
        .post(jobsPath(ns))
        .then()
        .statusCode(422)
        .body("reason", is("IDEMPOTENCY_KEY_REUSED"));
    assertEquals(1, Db.count("select count(*) from jobs where namespace = ?", ns));
  }

  @Test
  void keysAreScopedToTheRoute() {
    String other = Fixtures.namespace();
    request()
        .header("Idempotency-Key", "shared")
        .body(Fixtures.batchJob("a"))
        .post(jobsPath(ns))
        .then()
        .statusCode(201);
    request()
        .header("Idempotency-Key", "shared")
        .body(Fixtures.batchJob("a"))
        .post(jobsPath(other))
        .then()
        .statusCode(201)
        .header("Idempotent-Replayed", nullValue());
  }

  @Test
  void malformedOrHugeKeysAreRefusedBeforeAnyLookup() {
    for (String key : List.of("x".repeat(10_000), "has space", "semi;colon", "é")) {
      request()
          .header("Idempotency-Key", key)
          .body(Fixtures.batchJob("k"))
          .post(jobsPath(ns))
          .then()
          .statusCode(400)
          .body("reason", anyOf(is("INVALID_IDEMPOTENCY_KEY"), is("MALFORMED_REQUEST")));
    }
    assertEquals(0, Db.rowsInNamespace(ns));
  }

  @Test
  void fiftyConcurrentSubmitsWithOneKeyMakeOneRunAndOneKubernetesJob() throws Exception {
    String id = createJobOk(ns, Fixtures.batchJob("hot")).path("id");
    String key = "dag-run-42:submit";
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Future<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(
          pool.submit(
              () -> request().header("Idempotency-Key", key).post(jobPath(ns, "hot") + "/runs")));
    }
    List<Integer> statuses = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (Future<Response> call : calls) {
      Response r = call.get();
      statuses.add(r.statusCode());
      if (r.statusCode() == 201) {
        numbers.add(r.path("number"));
      }
    }
    pool.shutdown();

    assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
    assertTrue(numbers.stream().allMatch(n -> n == 1), "every 201 is the same run: " + numbers);
    assertEquals(1, Db.count("select count(*) from runs where job_id = ?", UUID.fromString(id)));
    exists(() -> client.batch().v1().jobs().inNamespace(ns).withName("hot-1").get());
    assertEquals(1, client.batch().v1().jobs().inNamespace(ns).list().getItems().size());
  }

  @Test
  void aKeyWhoseLockIsHeldIs409AndStoresNothingUntilItIsFree() {
    String id =
        request()
            .header("Idempotency-Key", "make-busy")
            .body(Fixtures.batchJob("busy"))
            .post(jobsPath(ns))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    // Keys are scoped to the caller: its scope, as the first request stored it.
    String scope =
        Db.text(
            "select scope from idempotency_keys where key = 'make-busy' and route = ?",
            "POST " + jobsPath(ns));
    String route = "POST " + jobPath(ns, "busy") + "/runs";
    // The lock a first request with this key holds until it commits.
    Db.inOpenTransaction(
        "select pg_advisory_xact_lock(hashtext(?), hashtext(?))",
        List.of(scope + " " + route, "busy-1"),
        () ->
            request()
                .header("Idempotency-Key", "busy-1")
                .post(jobPath(ns, "busy") + "/runs")
                .then()
                .statusCode(409)
                .body("reason", is("IDEMPOTENCY_KEY_IN_FLIGHT")));
    assertEquals(0, Db.count("select count(*) from runs where job_id = ?", UUID.fromString(id)));

    request()
        .header("Idempotency-Key", "busy-1")
        .post(jobPath(ns, "busy") + "/runs")
        .then()
        .statusCode(201)
        .body("number", is(1));
    request()
        .header("Idempotency-Key", "busy-1")
        .post(jobPath(ns, "busy") + "/runs")
        .then()
        .statusCode(201)
        .header(Idempotency.REPLAYED, "true")
        .body("number", is(1));
    assertEquals(1, Db.count("select count(*) from runs where job_id = ?", UUID.fromString(id)));
  }

  @Test
  void aRetriedRollbackWritesOneRevision() {
    createJobOk(ns, Fixtures.serviceJob("undo"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        Fixtures.with((Map<String, Object>) Fixtures.serviceJob("x").get("spec"), "image", "img:2");
    request().body(Map.of("spec", spec)).put(jobPath(ns, "undo")).then().statusCode(200);

    for (int i = 0; i < 3; i++) {
      request()
          .header("Idempotency-Key", "undo-1")
          .post(jobPath(ns, "undo") + "/rollback")
          .then()
          .statusCode(200)
          .body("revision", is(3));
    }
    getJob(ns, "undo").then().body("revision", is(3));
  }

  @Test
  void expiredKeysArePurgedAndThenNoLongerReplay() {
    request()
        .header("Idempotency-Key", "old")
        .body(Fixtures.batchJob("aged"))
        .post(jobsPath(ns))
        .then()
        .statusCode(201);
    Db.execute(
        "update idempotency_keys set expires_at = now() - interval '1 minute' where key = 'old' and route like ?",
        "%" + ns + "%");

    assertTrue(idempotency.purgeNow() >= 1);

    assertEquals(
        0,
        Db.count(
            "select count(*) from idempotency_keys where key = 'old' and route like ?",
            "%" + ns + "%"));
    request()
        .header("Idempotency-Key", "old")
        .body(Fixtures.batchJob("aged"))
        .post(jobsPath(ns))
        .then()
        .statusCode(409)
        .body("reason", is("JOB_EXISTS"));
  }
}
