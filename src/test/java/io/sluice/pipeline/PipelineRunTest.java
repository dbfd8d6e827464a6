package io.sluice.pipeline;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.eventually;
import static io.sluice.support.Pipelines.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.render.Labels;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pipeline runs end to end: the engine starts each step's run once its dependencies end, the
 * reconciler makes it a Kubernetes Job, and the test plays the Job controller.
 */
@QuarkusTest
@WithKubernetesTestServer
class PipelineRunTest {
  @Inject KubernetesClient client;

  private final String ns = Fixtures.namespace();

  private String runs(String pipeline) {
    return path(ns, pipeline) + "/runs";
  }

  private void phase(String pipeline, int run, String phase) {
    eventually(() -> request().get(runs(pipeline) + "/" + run).then().body("phase", is(phase)));
  }

  @Test
  void aDiamondRunsInOrderWithParametersSubstitutedAndEndsSucceeded() {
    batchJobs(ns, "ingest", "left", "right", "load");
    Map<String, Object> body =
        Fixtures.with(
            pipeline(
                "diamond",
                with(
                    with(step("ingest", "ingest"), "args", List.of("--date=${params.date}")),
                    "env",
                    List.of(Map.of("name", "DAY", "value", "${params.date}"))),
                step("left", "left", "ingest"),
                step("right", "right", "ingest"),
                step("load", "load", "left", "right")),
            "spec.parameters",
            List.of(Map.of("name", "date", "default", "2026-01-01")));
    request().body(body).post(path(ns)).then().statusCode(201);
    request()
        .body(Map.of("parameters", Map.of("date", "${params.date}-$(rm -rf /)")))
        .post(runs("diamond"))
        .then()
        .statusCode(201)
        .header("Location", endsWith(runs("diamond") + "/1"))
        .body("number", is(1))
        .body("phase", is("PENDING"))
        .body("parameters.date", is("${params.date}-$(rm -rf /)"))
        .body("steps.name", contains("ingest", "left", "right", "load"))
        .body("steps.phase", everyItem(is("WAITING")));

    Job ingest = awaitStepJob(client, ns, "diamond", 1, "ingest", 1);
    var container = ingest.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(
        List.of("--date=${params.date}-$(rm -rf /)"), container.getArgs(), "values are data");
    assertTrue(
        container.getEnv().stream()
            .anyMatch(
                e ->
                    e.getName().equals("DAY")
                        && e.getValue().equals("${params.date}-$(rm -rf /)")));
    assertNull(
        client.batch().v1().jobs().inNamespace(ns).withName("left-1").get(),
        "left waits for ingest");

    succeed(client, ns, ingest);
    Job left = awaitStepJob(client, ns, "diamond", 1, "left", 1);
    Job right = awaitStepJob(client, ns, "diamond", 1, "right", 1);
    succeed(client, ns, left);
    eventually(
        () ->
            request()
                .get(runs("diamond") + "/1")
                .then()
                .body("steps.find { it.name == 'left' }.phase", is("SUCCEEDED")));
    assertNull(
        client.batch().v1().jobs().inNamespace(ns).withName("load-1").get(),
        "load waits for right");
    succeed(client, ns, right);
    succeed(client, ns, awaitStepJob(client, ns, "diamond", 1, "load", 1));
    phase("diamond", 1, "SUCCEEDED");
    io.restassured.RestAssured.get("/q/metrics")
        .then()
        .body(containsString("sluice_pipeline_runs_ended_total{phase=\"SUCCEEDED\"}"))
        .body(containsString("sluice_pipeline_passes_seconds_count"));

    // Each attempt is an ordinary run of its job, pointing back at its pipeline run.
    request()
        .get(jobPath(ns, "load") + "/runs/1")
        .then()
        .statusCode(200)
        .body("trigger", is("pipeline"))
        .body("pipelineRun.pipeline", is("diamond"))
        .body("pipelineRun.number", is(1))
        .body("pipelineRun.step", is("load"))
        .body("pipelineRun.attempt", is(1));
    request()
        .get(path(ns, "diamond") + "/events")
        .then()
        .body(
            "items.action",
            hasItems(
                "pipeline.run.created",
                "pipeline.run.started",
                "pipeline.step.running",
                "pipeline.step.succeeded",
                "pipeline.run.succeeded"));
  }

  @Test
  void aStepThatFailsTwiceThenSucceedsLeavesTheRunSucceeded() {
    batchJobs(ns, "flaky");
    request()
        .body(
            pipeline(
                "retrying",
                with(step("flaky", "flaky"), "retries", Map.of("limit", 2, "backoffSeconds", 0))))
        .post(path(ns))
        .then()
        .statusCode(201);
    request().post(runs("retrying")).then().statusCode(201);
    fail(client, ns, awaitStepJob(client, ns, "retrying", 1, "flaky", 1));
    fail(client, ns, awaitStepJob(client, ns, "retrying", 1, "flaky", 2));
    succeed(client, ns, awaitStepJob(client, ns, "retrying", 1, "flaky", 3));
    phase("retrying", 1, "SUCCEEDED");
    request()
        .get(runs("retrying") + "/1")
        .then()
        .body("steps[0].phase", is("SUCCEEDED"))
        .body("steps[0].attempts.phase", contains("FAILED", "FAILED", "SUCCEEDED"))
        .body("steps[0].attempts.run", contains(1, 2, 3));
  }

  @Test
  void retryReRunsOnlyWhatFailedAndItsDownstreamAndKeepsTheRest() {
    batchJobs(ns, "a", "b", "c", "side");
    request()
        .body(
            pipeline(
                "resume",
                step("a", "a"),
                step("b", "b", "a"),
                step("c", "c", "b"),
                step("side", "side", "a")))
        .post(path(ns))
        .then()
        .statusCode(201);
    request().post(runs("resume")).then().statusCode(201);
    succeed(client, ns, awaitStepJob(client, ns, "resume", 1, "a", 1));
    fail(client, ns, awaitStepJob(client, ns, "resume", 1, "b", 1));
    succeed(client, ns, awaitStepJob(client, ns, "resume", 1, "side", 1));
    phase("resume", 1, "FAILED");
    request()
        .get(runs("resume") + "/1")
        .then()
        .body("reason", is("StepFailed"))
        .body("message", containsString("'b'"))
        .body("steps.find { it.name == 'c' }.phase", is("SKIPPED"));

    request().body(Map.of("from", "nope")).post(runs("resume") + "/1/retry").then().statusCode(422);
    request()
        .post(runs("resume") + "/1/retry")
        .then()
        .statusCode(200)
        .body("number", is(1))
        .body("attempt", is(2))
        .body("phase", is("RUNNING"))
        .body("steps.find { it.name == 'a' }.phase", is("SUCCEEDED"))
        .body("steps.find { it.name == 'b' }.phase", is("WAITING"))
        .body("steps.find { it.name == 'c' }.phase", is("WAITING"));
    request()
        .post(runs("resume") + "/1/retry")
        .then()
        .statusCode(409)
        .body("type", endsWith("run-not-finished"));
    succeed(client, ns, awaitStepJob(client, ns, "resume", 1, "b", 2));
    succeed(client, ns, awaitStepJob(client, ns, "resume", 1, "c", 1));
    phase("resume", 1, "SUCCEEDED");
    // The succeeded steps kept their runs: one run each of a and side, two of b.
    assertEquals(
        1L, Db.count("select count(*) from runs where namespace = ? and job_name = 'a'", ns));
    assertEquals(
        1L, Db.count("select count(*) from runs where namespace = ? and job_name = 'side'", ns));
    assertEquals(
        2L, Db.count("select count(*) from runs where namespace = ? and job_name = 'b'", ns));
    request()
        .post(runs("resume") + "/1/retry")
        .then()
        .statusCode(409)
        .body("type", endsWith("nothing-to-retry"));

    // from: that step and its downstream run again, even though they succeeded.
    request()
        .body(Map.of("from", "b"))
        .post(runs("resume") + "/1/retry")
        .then()
        .statusCode(200)
        .body("attempt", is(3));
    succeed(client, ns, awaitStepJob(client, ns, "resume", 1, "b", 3));
    succeed(client, ns, awaitStepJob(client, ns, "resume", 1, "c", 2));
    phase("resume", 1, "SUCCEEDED");
    assertEquals(
        1L, Db.count("select count(*) from runs where namespace = ? and job_name = 'a'", ns));
    request()
        .get(path(ns, "resume") + "/events")
        .then()
        .body("items.action", hasItem("pipeline.run.retried"));
  }

  @Test
  void aRetryCanTakeTheJobsCurrentRevisionsAndTheAttemptSaysWhichRan() {
    batchJobs(ns, "load");
    request().body(pipeline("fix", step("load", "load"))).post(path(ns)).then().statusCode(201);
    request().post(runs("fix")).then().statusCode(201);
    Job first = awaitStepJob(client, ns, "fix", 1, "load", 1);
    // The job changes while the run is in flight: the run keeps revision 1.
    request()
        .body(
            Map.of(
                "spec", Fixtures.with(Fixtures.batchSpec(), "image", "ghcr.io/acme/ingest:1.0.1")))
        .put(jobPath(ns, "load"))
        .then()
        .statusCode(200)
        .body("revision", is(2));
    fail(client, ns, first);
    phase("fix", 1, "FAILED");
    request().post(runs("fix") + "/1/retry").then().statusCode(200);
    Job pinned = awaitStepJob(client, ns, "fix", 1, "load", 2);
    assertEquals(
        "ghcr.io/acme/ingest:1.0.0",
        pinned.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    fail(client, ns, pinned);
    phase("fix", 1, "FAILED");
    request()
        .body(Map.of("revisions", "current"))
        .post(runs("fix") + "/1/retry")
        .then()
        .statusCode(200);
    Job current = awaitStepJob(client, ns, "fix", 1, "load", 3);
    assertEquals(
        "ghcr.io/acme/ingest:1.0.1",
        current.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    succeed(client, ns, current);
    phase("fix", 1, "SUCCEEDED");
    request().get(runs("fix") + "/1").then().body("steps[0].attempts.revision", contains(1, 1, 2));
  }

  @Test
  void cancelStopsRunningStepsAndStartsNothingNew() {
    batchJobs(ns, "a", "b", "c");
    request()
        .body(pipeline("stop", step("a", "a"), step("b", "b"), step("c", "c", "a")))
        .post(path(ns))
        .then()
        .statusCode(201);
    request().post(runs("stop")).then().statusCode(201);
    awaitStepJob(client, ns, "stop", 1, "a", 1);
    awaitStepJob(client, ns, "stop", 1, "b", 1);
    request()
        .post(runs("stop") + "/1/cancel")
        .then()
        .statusCode(200)
        .body("phase", is("CANCELLED"))
        .body("steps.phase", everyItem(is("CANCELLED")));
    eventually(
        () ->
            assertNull(
                client.batch().v1().jobs().inNamespace(ns).withName("a-1").get(),
                "a's Job is deleted"));
    eventually(
        () ->
            assertNull(
                client.batch().v1().jobs().inNamespace(ns).withName("b-1").get(),
                "b's Job is deleted"));
    request()
        .get(jobPath(ns, "a") + "/runs/1")
        .then()
        .body("phase", is("CANCELLED"))
        .body("reason", is("PipelineRunCancelled"));
    request()
        .post(runs("stop") + "/1/cancel")
        .then()
        .statusCode(409)
        .body("type", endsWith("run-finished"));
    assertEquals(
        0L, Db.count("select count(*) from runs where namespace = ? and job_name = 'c'", ns));
  }

  @Test
  void failFastCancelsTheOtherBranchAndRunsTheAlert() {
    batchJobs(ns, "bad", "slow", "alert");
    request()
        .body(
            Fixtures.with(
                pipeline(
                    "fast",
                    step("bad", "bad"),
                    step("slow", "slow"),
                    with(step("alert", "alert", "bad"), "when", "failed")),
                "spec.failFast",
                true))
        .post(path(ns))
        .then()
        .statusCode(201);
    request().post(runs("fast")).then().statusCode(201);
    awaitStepJob(client, ns, "fast", 1, "slow", 1);
    fail(client, ns, awaitStepJob(client, ns, "fast", 1, "bad", 1));
    succeed(client, ns, awaitStepJob(client, ns, "fast", 1, "alert", 1));
    phase("fast", 1, "FAILED");
    request()
        .get(runs("fast") + "/1")
        .then()
        .body("steps.find { it.name == 'slow' }.phase", is("CANCELLED"))
        .body("steps.find { it.name == 'slow' }.reason", is("FailFast"))
        .body("steps.find { it.name == 'alert' }.phase", is("SUCCEEDED"));
    request().get(jobPath(ns, "slow") + "/runs/1").then().body("phase", is("CANCELLED"));
  }

  @Test
  void anIdempotencyKeyStartsOneRunHoweverOftenAirflowRetries() {
    batchJobs(ns, "j");
    request().body(pipeline("once", step("s", "j"))).post(path(ns)).then().statusCode(201);
    for (int i = 0; i < 3; i++) {
      request()
          .header("Idempotency-Key", "dag.task.2026-12-01")
          .body(Map.of())
          .post(runs("once"))
          .then()
          .statusCode(201)
          .body("number", is(1));
    }
    request()
        .header("Idempotency-Key", "dag.task.2026-12-01")
        .body(Map.of("parameters", Map.of("x", "1")))
        .post(runs("once"))
        .then()
        .statusCode(422);
    assertEquals(1L, Db.count("select count(*) from pipeline_runs where namespace = ?", ns));
  }

  @Test
  void unknownOrMissingParametersAreRefusedAndStartNothing() {
    batchJobs(ns, "j");
    request()
        .body(
            Fixtures.with(
                pipeline("params", step("s", "j")),
                "spec.parameters",
                List.of(Map.of("name", "date"))))
        .post(path(ns))
        .then()
        .statusCode(201);
    request()
        .body(Map.of("parameters", Map.of("dat", "x")))
        .post(runs("params"))
        .then()
        .statusCode(422)
        .body("errors.field", containsInAnyOrder("parameters.dat", "parameters.date"));
    assertEquals(0L, Db.count("select count(*) from pipeline_runs where namespace = ?", ns));
  }

  @Test
  void aJobDeletedWhileItsStepRunsFailsTheStepSayingSo() {
    batchJobs(ns, "doomed", "after");
    request()
        .body(pipeline("orphan", step("doomed", "doomed"), step("after", "after", "doomed")))
        .post(path(ns))
        .then()
        .statusCode(201);
    request().post(runs("orphan")).then().statusCode(201);
    awaitStepJob(client, ns, "orphan", 1, "doomed", 1);
    request().delete(jobPath(ns, "doomed")).then().statusCode(202);
    phase("orphan", 1, "FAILED");
    request()
        .get(runs("orphan") + "/1")
        .then()
        .body("steps[0].phase", is("FAILED"))
        .body("steps[0].reason", is("JobDeleted"))
        .body("steps[1].phase", is("SKIPPED"));
  }

  @Test
  void anAwaitReadyStepHoldsTheLoadUntilTheWarehouseIsReady() {
    batchJobs(ns, "load");
    createJobOk(ns, Fixtures.statefulJob("warehouse"));
    request()
        .body(
            pipeline(
                "gated",
                with(with(step("warehouse", null), "awaitReady", "warehouse"), "job", null),
                step("load", "load", "warehouse")))
        .post(path(ns))
        .then()
        .statusCode(201);
    request().post(runs("gated")).then().statusCode(201);
    eventually(
        () -> request().get(runs("gated") + "/1").then().body("steps[0].phase", is("RUNNING")));
    assertNull(client.batch().v1().jobs().inNamespace(ns).withName("load-1").get());
    var sts =
        io.sluice.support.Cluster.exists(
            () -> client.apps().statefulSets().inNamespace(ns).withName("warehouse").get());
    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .withName("warehouse")
        .editStatus(
            s -> {
              s.setStatus(
                  new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                      .withReplicas(sts.getSpec().getReplicas())
                      .withReadyReplicas(sts.getSpec().getReplicas())
                      .withAvailableReplicas(sts.getSpec().getReplicas())
                      .withUpdatedReplicas(sts.getSpec().getReplicas())
                      .withCurrentReplicas(sts.getSpec().getReplicas())
                      .withObservedGeneration(s.getMetadata().getGeneration())
                      .withCurrentRevision("r1")
                      .withUpdateRevision("r1")
                      .build());
              return s;
            });
    succeed(client, ns, awaitStepJob(client, ns, "gated", 1, "load", 1));
    phase("gated", 1, "SUCCEEDED");
  }

  @Test
  void theStepsRunsCarryTheJobsLabelsAndNoPipelineInternals() {
    batchJobs(ns, "j");
    request().body(pipeline("labels", step("s", "j"))).post(path(ns)).then().statusCode(201);
    request().post(runs("labels")).then().statusCode(201);
    Job job = awaitStepJob(client, ns, "labels", 1, "s", 1);
    assertEquals("1", job.getMetadata().getLabels().get(Labels.RUN));
  }
}
