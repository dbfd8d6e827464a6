package io.sluice.pipeline;

import static io.sluice.support.Api.*;
import static io.sluice.support.Pipelines.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pipeline and pipeline-run requests a careless script or an attacker would send: each is refused
 * with the right status, a problem document naming the field, and nothing stored.
 */
@QuarkusTest
@WithKubernetesTestServer
class PipelineHostileInputTest {
  private final String ns = Fixtures.namespace();

  @BeforeEach
  void aJobAndAPipeline() {
    batchJobs(ns, "j");
    request()
        .body(
            Fixtures.with(
                pipeline("p", step("s", "j")),
                "spec.parameters",
                List.of(Map.of("name", "day", "default", "x"))))
        .post(path(ns))
        .then()
        .statusCode(201);
  }

  private void refused(Object body, int status, String field) {
    long before = Db.rowsInNamespace(ns);
    var then =
        request()
            .body(body)
            .post(path(ns))
            .then()
            .statusCode(status)
            .contentType("application/problem+json")
            .body("detail", not(containsString("com.fasterxml")))
            .body("detail", not(containsString("io.sluice")));
    if (field != null) {
      then.body("errors.field", hasItem(field));
    }
    assertEquals(before, Db.rowsInNamespace(ns));
  }

  @Test
  void hostilePipelineDefinitionsAreRefusedAtTheField() {
    refused(pipeline("nul", step("a\u0000b", "j")), 400, null);
    refused(pipeline("long", step("x".repeat(5000), "j")), 422, "spec.steps[0].name");
    List<String> deps = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      deps.add("d" + i);
    }
    refused(
        pipeline("fanin", with(step("a", "j"), "dependsOn", deps)), 422, "spec.steps[0].dependsOn");
    refused(pipeline("image", with(step("a", "j"), "image", "evil:latest")), 400, null);
    refused(pipeline("type", with(step("a", "j"), "job", 123)), 422, "spec.steps[0].job");
    // Enum values are checked as fields (422, naming the allowed values), as for jobs.
    refused(
        pipeline("when", with(step("a", "j", "a"), "when", "sometimes")),
        422,
        "spec.steps[0].when");
    refused(pipeline("UPPER", step("a", "j")), 422, "name");
    refused(pipeline("../x", step("a", "j")), 422, "name");
    refused(
        Fixtures.with(
            pipeline("label", step("a", "j")), "spec.labels", Map.of("sluice.io/owner", "me")),
        422,
        "spec.labels.sluice.io/owner");
    refused(
        pipeline(
            "env",
            with(step("a", "j"), "env", List.of(Map.of("name", "SLUICE_TOKEN", "value", "x")))),
        422,
        "spec.steps[0].env[0].name");
    refused(
        pipeline("retries", with(step("a", "j"), "retries", Map.of("limit", 1_000_000))),
        422,
        "spec.steps[0].retries.limit");
    refused(
        pipeline("timeout", with(step("a", "j"), "timeoutSeconds", -1)),
        422,
        "spec.steps[0].timeoutSeconds");
    refused(
        Map.of(
            "name", "ns", "namespace", "other", "spec", Map.of("steps", List.of(step("a", "j")))),
        422,
        "namespace");
    refused(Map.of("name", "nospec"), 422, "spec");
    refused(Map.of("name", "nosteps", "spec", Map.of("steps", List.of())), 422, "spec.steps");
  }

  @Test
  void hostileRunRequestsAreRefusedAndStartNothing() {
    String runs = path(ns, "p") + "/runs";
    request()
        .body(Map.of("parameters", Map.of("day", "a\u0000b")))
        .post(runs)
        .then()
        .statusCode(400);
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      many.put("p" + i, "v");
    }
    request()
        .body(Map.of("parameters", many))
        .post(runs)
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("parameters"));
    request()
        .body(Map.of("parameters", Map.of("day", "x".repeat(5000))))
        .post(runs)
        .then()
        .statusCode(422);
    request()
        .body(Map.of("parameters", Map.of("day", List.of("a"))))
        .post(runs)
        .then()
        .statusCode(400);
    request().body(Map.of("params", Map.of())).post(runs).then().statusCode(400);
    assertEquals(0L, Db.count("select count(*) from pipeline_runs where namespace = ?", ns));
    for (String bad : List.of("abc", "-1", "0", "99999999999", "1.5")) {
      request()
          .get(runs + "/" + bad)
          .then()
          .statusCode(400)
          .body("reason", is("INVALID_PARAMETER"));
    }
    request().queryParam("cursor", "forged").get(runs).then().statusCode(400);
    request().queryParam("phase", "DONE").get(runs).then().statusCode(400);
    request()
        .body(Map.of("revisions", "latest"))
        .post(runs + "/1/retry")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("revisions"));
    request()
        .post(runs + "/7/cancel")
        .then()
        .statusCode(404)
        .body("type", endsWith("pipeline-run-not-found"));
  }
}
