package io.sluice.pipeline;

import static io.sluice.support.Api.*;
import static io.sluice.support.Pipelines.*;
import static org.hamcrest.Matchers.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pipelines as a resource: create, validation at the field, revisions, ETags, delete. */
@QuarkusTest
@WithKubernetesTestServer
class PipelineCrudTest {
  private final String ns = Fixtures.namespace();

  private Map<String, Object> daily() {
    return Fixtures.with(
        pipeline(
            "daily",
            with(step("ingest", "ingest"), "args", List.of("--date", "${params.date}")),
            step("clean", "clean", "ingest"),
            step("load", "load", "clean")),
        "spec.parameters",
        List.of(Map.of("name", "date", "default", "2026-12-01")));
  }

  @Test
  void aPipelineIsStoredAsRevisionOneWithAnETagAndAnEvent() {
    batchJobs(ns, "ingest", "clean", "load");
    String etag =
        request()
            .body(daily())
            .post(path(ns))
            .then()
            .statusCode(201)
            .header("Location", endsWith(path(ns, "daily")))
            .header("ETag", notNullValue())
            .body("revision", is(1))
            .body("spec.steps.name", contains("ingest", "clean", "load"))
            .body("spec.parameters[0].default", is("2026-12-01"))
            .body("status.suspended", is(false))
            .extract()
            .header("ETag");
    request().get(path(ns, "daily")).then().statusCode(200).header("ETag", is(etag));
    request().header("If-None-Match", etag).get(path(ns, "daily")).then().statusCode(304);
    request()
        .get(path(ns, "daily") + "/events")
        .then()
        .body("items.action", hasItem("pipeline.created"));
    request()
        .body(daily())
        .post(path(ns))
        .then()
        .statusCode(409)
        .body("type", endsWith("pipeline-exists"));
  }

  @Test
  void aYamlBodyIsAccepted() {
    batchJobs(ns, "ingest");
    authorized()
        .contentType("application/yaml")
        .accept("application/json")
        .body(
            "name: yaml\nspec:\n  steps:\n  - name: only\n    job: ingest\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post(path(ns))
        .then()
        .statusCode(201)
        .body("spec.steps[0].job", is("ingest"));
  }

  @Test
  void aCycleIsRefusedNamingTheCycle() {
    batchJobs(ns, "j");
    request()
        .body(pipeline("loop", step("a", "j", "c"), step("b", "j", "a"), step("c", "j", "b")))
        .post(path(ns))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("spec.steps"))
        .body("errors.message", hasItem(containsString("a \u2192 b \u2192 c \u2192 a")));
    org.junit.jupiter.api.Assertions.assertEquals(
        0, Db.count("select count(*) from pipelines where namespace = ?", ns));
  }

  @Test
  void everyStructuralMistakeIsReportedAtItsField() {
    batchJobs(ns, "j");
    createJobOk(ns, Fixtures.serviceJob("api"));
    Map<String, Object> body =
        pipeline(
            "bad",
            step("a", "j", "nope"),
            step("a", "j"),
            step("self", "j", "self"),
            with(step("both", "j"), "awaitReady", "api"),
            step("svc", "api"),
            with(with(step("wait", null), "awaitReady", "j"), "job", null),
            with(step("param", "j"), "args", List.of("${params.missing}", "${params.bad-name}")),
            with(step("handler", "j"), "when", "failed"),
            step("Upper", "j"),
            step("ghost", "no-such-job"));
    request()
        .body(body)
        .post(path(ns))
        .then()
        .statusCode(422)
        .body(
            "errors.field",
            hasItems(
                "spec.steps[1].name",
                "spec.steps[3]",
                "spec.steps[6].args[0]",
                "spec.steps[6].args[1]",
                "spec.steps[7].when",
                "spec.steps[8].name"));
    // Graph and job checks follow once the structure is sound.
    request()
        .body(pipeline("refs", step("a", "j", "nope"), step("self", "j", "self")))
        .post(path(ns))
        .then()
        .statusCode(422)
        .body("errors.field", hasItems("spec.steps[0].dependsOn[0]", "spec.steps[1].dependsOn[0]"))
        .body("errors.message", hasItem(containsString("no step is named 'nope'")));
    request()
        .body(
            pipeline(
                "kinds",
                step("svc", "api"),
                with(with(step("wait", null), "awaitReady", "j"), "job", null),
                step("ghost", "no-such-job")))
        .post(path(ns))
        .then()
        .statusCode(422)
        .body(
            "errors.field",
            contains("spec.steps[0].job", "spec.steps[1].awaitReady", "spec.steps[2].job"))
        .body("errors.message[0]", containsString("has no runs"))
        .body("errors.message[1]", containsString("never READY"))
        .body("errors.message[2]", containsString("no job named 'no-such-job'"));
  }

  @Test
  void moreThanTwoHundredStepsAreRefused() {
    batchJobs(ns, "j");
    Map<String, Object>[] steps = new Map[201];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = step("s" + i, "j");
    }
    request()
        .body(pipeline("huge", steps))
        .post(path(ns))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("spec.steps"));
  }

  @Test
  void aScheduleNeedsDefaultsForEveryParameterAndAValidCronAndZone() {
    batchJobs(ns, "j");
    Map<String, Object> body =
        Fixtures.with(
            Fixtures.with(
                pipeline("nightly", step("a", "j")),
                "spec.schedule",
                Map.of("cron", "0 0 31 2 *", "timeZone", "Mars/Olympus")),
            "spec.parameters",
            List.of(Map.of("name", "date")));
    request()
        .body(body)
        .post(path(ns))
        .then()
        .statusCode(422)
        .body(
            "errors.field",
            hasItems("spec.schedule", "spec.schedule.cron", "spec.schedule.timeZone"));
    request()
        .body(
            Fixtures.with(
                pipeline("nightly", step("a", "j")),
                "spec.schedule",
                Map.of("cron", "0 3 * * *", "timeZone", "Europe/Berlin")))
        .post(path(ns))
        .then()
        .statusCode(201)
        .body("status.nextScheduledAt", notNullValue());
  }

  @Test
  void replacingWritesARevisionThatCanBeDiffedAndRolledBack() {
    batchJobs(ns, "ingest", "clean", "load");
    String etag =
        request().body(daily()).post(path(ns)).then().statusCode(201).extract().header("ETag");
    Map<String, Object> update =
        Map.of(
            "spec",
            Fixtures.with(daily(), "spec.failFast", true).get("spec"),
            "changeCause",
            "fail fast");
    request()
        .header("If-Match", "\"999\"")
        .body(update)
        .put(path(ns, "daily"))
        .then()
        .statusCode(412);
    request()
        .header("If-Match", etag)
        .body(update)
        .put(path(ns, "daily"))
        .then()
        .statusCode(200)
        .body("revision", is(2))
        .body("spec.failFast", is(true));
    request().body(update).put(path(ns, "daily")).then().statusCode(200).body("revision", is(2));
    request()
        .get(path(ns, "daily") + "/revisions/1/diff/2")
        .then()
        .statusCode(200)
        .body("changes.path", contains("spec.failFast"));
    request().get(path(ns, "daily") + "/revisions").then().body("items.revision", contains(2, 1));
    request()
        .body(Map.of())
        .post(path(ns, "daily") + "/rollback")
        .then()
        .statusCode(200)
        .body("revision", is(3))
        .body("spec.failFast", nullValue());
    request().get(path(ns, "daily") + "/revisions/3").then().body("rollbackOf", is(1));
    request().get(path(ns, "daily") + "/revisions/9").then().statusCode(404);
  }

  @Test
  void aRollbackToASpecWhoseJobIsGoneIsRefused() {
    batchJobs(ns, "old", "new");
    request().body(pipeline("p", step("a", "old"))).post(path(ns)).then().statusCode(201);
    request()
        .body(Map.of("spec", pipeline("p", step("a", "new")).get("spec")))
        .put(path(ns, "p"))
        .then()
        .statusCode(200);
    request().delete(jobPath(ns, "old")).then().statusCode(202);
    request()
        .body(Map.of("toRevision", 1))
        .post(path(ns, "p") + "/rollback")
        .then()
        .statusCode(422)
        .body("errors.message", hasItem(containsString("no job named 'old'")));
  }

  @Test
  void listsArePagedAndFilteredByLabels() {
    batchJobs(ns, "j");
    for (String name : List.of("a", "b", "c")) {
      request()
          .body(
              Fixtures.with(
                  pipeline(name, step("s", "j")),
                  "spec.labels",
                  Map.of("team", name.equals("b") ? "web" : "data")))
          .post(path(ns))
          .then()
          .statusCode(201);
    }
    String cursor =
        request()
            .queryParam("limit", 2)
            .get(path(ns))
            .then()
            .statusCode(200)
            .body("items.name", contains("a", "b"))
            .extract()
            .path("nextCursor");
    request()
        .queryParam("cursor", cursor)
        .get(path(ns))
        .then()
        .body("items.name", contains("c"))
        .body("nextCursor", nullValue());
    request()
        .queryParam("labelSelector", "team=data")
        .get(path(ns))
        .then()
        .body("items.name", contains("a", "c"));
    request().queryParam("labelSelector", "team in (").get(path(ns)).then().statusCode(400);
  }

  @Test
  void deletingAPipelineKeepsItsJobsAndFreesItsName() {
    batchJobs(ns, "j");
    request().body(pipeline("gone", step("s", "j"))).post(path(ns)).then().statusCode(201);
    request().delete(path(ns, "gone")).then().statusCode(204);
    request()
        .get(path(ns, "gone"))
        .then()
        .statusCode(404)
        .body("type", endsWith("pipeline-not-found"));
    request().get(jobPath(ns, "j")).then().statusCode(200);
    request().body(pipeline("gone", step("s", "j"))).post(path(ns)).then().statusCode(201);
  }

  @Test
  void suspendAndResumeTheSchedule() {
    batchJobs(ns, "j");
    request()
        .body(
            Fixtures.with(
                pipeline("cron", step("s", "j")), "spec.schedule", Map.of("cron", "*/5 * * * *")))
        .post(path(ns))
        .then()
        .statusCode(201);
    request()
        .post(path(ns, "cron") + "/suspend")
        .then()
        .statusCode(200)
        .body("status.suspended", is(true))
        .body("status.nextScheduledAt", nullValue());
    request()
        .post(path(ns, "cron") + "/resume")
        .then()
        .statusCode(200)
        .body("status.suspended", is(false))
        .body("status.nextScheduledAt", notNullValue());
    request()
        .get(path(ns, "cron") + "/events")
        .then()
        .body("items.action", hasItems("pipeline.suspended", "pipeline.resumed"));
  }
}
