package io.sluice.pipeline;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.eventually;
import static io.sluice.support.Pipelines.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.config.SluiceConfig;
import io.sluice.reconcile.ReconcileRuntime;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The engine under the failures a production deployment meets: a crash in the middle of a pass, two
 * replicas' engines on one database, and schedules with each concurrency policy.
 */
@QuarkusTest
@WithKubernetesTestServer
class PipelineEngineTest {
  @Inject KubernetesClient client;
  @Inject DataSource db;
  @Inject SluiceConfig config;
  @Inject ReconcileRuntime reconcile;

  private final String ns = Fixtures.namespace();

  @Test
  void aCrashBetweenStartingAStepAndRecordingItNeverStartsItTwice() {
    String step = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    // Fails the pass's write of the step, after it inserted the run, exactly once.
    Db.withTriggerOnce(
        step.replace('-', '_'),
        "UPDATE",
        "pipeline_steps",
        "NEW.name = '" + step + "' AND NEW.phase = 'RUNNING'",
        "RAISE EXCEPTION 'simulated crash'",
        () -> {
          batchJobs(ns, "once");
          request()
              .body(pipeline("crashy", step(step, "once")))
              .post(path(ns))
              .then()
              .statusCode(201);
          request().post(path(ns, "crashy") + "/runs").then().statusCode(201);
          var job = awaitStepJob(client, ns, "crashy", 1, step, 1);
          assertEquals(
              "once-1", job.getMetadata().getName(), "the rolled-back start took no run number");
          assertEquals(1L, Db.count("select count(*) from runs where namespace = ?", ns));
          succeed(client, ns, job);
          eventually(
              () ->
                  request()
                      .get(path(ns, "crashy") + "/runs/1")
                      .then()
                      .body("phase", is("SUCCEEDED")));
          assertEquals(1L, Db.count("select count(*) from runs where namespace = ?", ns));
          assertNull(client.batch().v1().jobs().inNamespace(ns).withName("once-2").get());
        });
  }

  @Test
  void twoEnginesOnOneDatabaseStartEachOfFiftyStepsOnce() {
    PipelineEngine second =
        new PipelineEngine(db, config.pipelines(), jobs -> reconcile.loop().wake());
    second.start();
    try {
      batchJobs(ns, "split", "part", "merge");
      List<Map<String, Object>> steps = new ArrayList<>();
      steps.add(step("split", "split"));
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        steps.add(step("part-" + i, "part", "split"));
        parts.add("part-" + i);
      }
      steps.add(step("merge", "merge", parts.toArray(String[]::new)));
      @SuppressWarnings("unchecked")
      Map<String, Object>[] array = steps.toArray(Map[]::new);
      request().body(pipeline("fan", array)).post(path(ns)).then().statusCode(201);
      request().post(path(ns, "fan") + "/runs").then().statusCode(201);
      succeed(client, ns, awaitStepJob(client, ns, "fan", 1, "split", 1));
      eventually(
          () ->
              assertEquals(
                  50L,
                  Db.count(
                      "select count(*) from runs where namespace = ? and job_name = 'part' and submitted_at is not null",
                      ns)));
      for (int n = 1; n <= 50; n++) {
        int number = n;
        var job =
            io.sluice.support.Cluster.exists(
                () -> client.batch().v1().jobs().inNamespace(ns).withName("part-" + number).get());
        succeed(client, ns, job);
      }
      succeed(client, ns, awaitStepJob(client, ns, "fan", 1, "merge", 1));
      eventually(
          () -> request().get(path(ns, "fan") + "/runs/1").then().body("phase", is("SUCCEEDED")));
      assertEquals(52L, Db.count("select count(*) from runs where namespace = ?", ns));
      assertEquals(
          0L,
          Db.count(
              "select count(*) from (select pipeline_step from runs where namespace = ?"
                  + " group by pipeline_step having count(*) > 1) d",
              ns));
    } finally {
      second.stop();
    }
  }

  @Test
  void aDueScheduleStartsARunAndTheConcurrencyPolicyDecidesTheNext() {
    batchJobs(ns, "j");
    request()
        .body(
            Fixtures.with(
                Fixtures.with(
                    pipeline("nightly", step("s", "j")),
                    "spec.schedule",
                    Map.of("cron", "0 3 * * *", "timeZone", "Europe/Berlin")),
                "spec.concurrencyPolicy",
                "Forbid"))
        .post(path(ns))
        .then()
        .statusCode(201);
    fireNow("nightly");
    eventually(
        () ->
            request()
                .get(path(ns, "nightly") + "/runs")
                .then()
                .body("items.trigger", contains("schedule"))
                .body("items[0].createdBy", is("sluice")));
    request()
        .get(path(ns, "nightly"))
        .then()
        .body("status.nextScheduledAt", notNullValue())
        .body("status.lastRun", is(1));
    awaitStepJob(client, ns, "nightly", 1, "s", 1);

    fireNow("nightly");
    eventually(
        () ->
            request()
                .get(path(ns, "nightly") + "/events")
                .then()
                .body("items.action", hasItem("pipeline.run.skipped")));
    assertEquals(1L, Db.count("select count(*) from pipeline_runs where namespace = ?", ns));

    Map<String, Object> replace =
        Fixtures.with(
            Fixtures.with(
                pipeline("nightly", step("s", "j")),
                "spec.schedule",
                Map.of("cron", "0 3 * * *", "timeZone", "Europe/Berlin")),
            "spec.concurrencyPolicy",
            "Replace");
    request()
        .body(Map.of("spec", replace.get("spec")))
        .put(path(ns, "nightly"))
        .then()
        .statusCode(200);
    fireNow("nightly");
    eventually(() -> request().get(path(ns, "nightly") + "/runs/2").then().statusCode(200));
    request()
        .get(path(ns, "nightly") + "/runs/1")
        .then()
        .body("phase", is("CANCELLED"))
        .body("reason", is("Replaced"));
    eventually(() -> assertNull(client.batch().v1().jobs().inNamespace(ns).withName("j-1").get()));

    request().post(path(ns, "nightly") + "/suspend").then().statusCode(200);
    Db.execute(
        "UPDATE pipelines SET next_fire_at = now() WHERE namespace = ? AND name = 'nightly'", ns);
    sleep();
    assertEquals(
        2L,
        Db.count("select count(*) from pipeline_runs where namespace = ?", ns),
        "a suspended schedule fires nothing");
  }

  private void fireNow(String pipeline) {
    Db.execute(
        "UPDATE pipelines SET next_fire_at = now() WHERE namespace = ? AND name = ? AND deleted_at IS NULL",
        ns,
        pipeline);
  }

  private static void sleep() {
    try {
      Thread.sleep(2500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
