package io.sluice.api;

import static io.sluice.support.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The writes a request holds until its commit (a run's row, its audit event, the key's answer):
 * when one of them fails, the whole request rolls back and the caller gets the problem it got when
 * each was sent on its own (here 503: the database cancelled or lost the statement).
 */
@QuarkusTest
@WithKubernetesTestServer
class WritesAtCommitTest {
  private final String ns = Fixtures.namespace();

  @Test
  void aHeldWriteCancelledByTheDatabaseRollsBackEverythingTheRequestWrote() {
    UUID id =
        failsAtCommit(
            "held",
            "audit_events",
            "NEW.namespace = '" + ns + "' AND NEW.action = 'run.created'",
            // What statement_timeout raises: the held writes are cancelled at the commit.
            "RAISE EXCEPTION 'cancelled by the test' USING ERRCODE = 'query_canceled'");

    // Nothing of the failed request committed: the retry starts run 1 afresh, and replays.
    startRun("held", "held-1").then().statusCode(201).body("number", is(1));
    startRun("held", "held-1")
        .then()
        .statusCode(201)
        .header(Idempotency.REPLAYED, "true")
        .body("number", is(1));
    assertEquals(1, Db.count("select count(*) from runs where job_id = ?", id));
    assertEquals(
        1,
        Db.count(
            "select count(*) from audit_events where job_id = ? and action = 'run.created'", id));
  }

  @Test
  void aConnectionLostWhileSendingTheHeldWritesIs503AndStoresNothing() {
    // The key's answer is the last write held: its backend goes away as it is inserted.
    failsAtCommit(
        "lost",
        "idempotency_keys",
        "NEW.route = 'POST " + jobPath(ns, "lost") + "/runs'",
        "PERFORM pg_terminate_backend(pg_backend_pid())");

    startRun("lost", "lost-1").then().statusCode(201).body("number", is(1));
  }

  /**
   * Creates {@code job}, then starts its run with the key {@code <job>-1} while a trigger on {@code
   * table} does {@code action} to the rows matching {@code when}: 503, and nothing stored.
   */
  private UUID failsAtCommit(String job, String table, String when, String action) {
    UUID id = UUID.fromString(createJobOk(ns, Fixtures.batchJob(job)).path("id"));
    Db.withTrigger(
        "sluice_test_" + ns.replace('-', '_'),
        "INSERT",
        table,
        when,
        action,
        () ->
            unavailable(startRun(job, job + "-1"))
                .body("detail", not(containsString("by the test"))));
    assertNothingStored(id, "POST " + jobPath(ns, job) + "/runs");
    return id;
  }

  private io.restassured.response.Response startRun(String job, String key) {
    return request().header(Idempotency.HEADER, key).post(jobPath(ns, job) + "/runs");
  }

  private void assertNothingStored(UUID id, String route) {
    assertEquals(0, Db.count("select count(*) from runs where job_id = ?", id));
    assertEquals(
        1,
        Db.count("select count(*) from jobs where id = ? and next_run_number = 1", id),
        "the run's number was given back");
    assertEquals(
        0,
        Db.count(
            "select count(*) from audit_events where job_id = ? and action = 'run.created'", id));
    assertEquals(0, Db.count("select count(*) from idempotency_keys where route = ?", route));
  }
}
