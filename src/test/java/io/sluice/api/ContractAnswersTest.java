package io.sluice.api;

import static io.restassured.RestAssured.given;
import static io.sluice.support.Api.authorized;
import static io.sluice.support.Api.createJobOk;
import static io.sluice.support.Api.jobPath;
import static io.sluice.support.Api.jobsPath;
import static io.sluice.support.Api.request;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import io.sluice.support.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What generated clients rely on: every answer an operation can give is declared, parameters are
 * typed and in path order, and the server's bodies and headers are what the contract says.
 */
@QuarkusTest
@WithKubernetesTestServer
class ContractAnswersTest {
  private final String ns = Fixtures.namespace();

  @Test
  void everyOperationDeclaresTheProblemsItCanAnswerAndTypedParametersInPathOrder() {
    JsonPath doc = given().queryParam("format", "json").get("/q/openapi").jsonPath();
    Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
    for (var path : paths.entrySet()) {
      if (!path.getKey().startsWith("/api/") || path.getKey().equals("/api/v1")) {
        continue;
      }
      for (var op : path.getValue().entrySet()) {
        String where = op.getKey().toUpperCase() + " " + path.getKey();
        @SuppressWarnings("unchecked")
        Map<String, Object> responses = (Map<String, Object>) op.getValue().get("responses");
        for (String code : List.of("400", "401", "406", "503")) {
          assertTrue(responses.containsKey(code), where + " does not declare " + code);
        }
        if (path.getKey().contains("{")) {
          assertTrue(responses.containsKey("404"), where + " does not declare 404");
        }
        if (op.getValue().containsKey("requestBody")) {
          assertTrue(responses.containsKey("413") && responses.containsKey("415"), where);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parameters =
            (List<Map<String, Object>>) op.getValue().getOrDefault("parameters", List.of());
        int last = -1;
        for (Map<String, Object> p : parameters) {
          String name = (String) p.get("name");
          if ("path".equals(p.get("in"))) {
            int at = path.getKey().indexOf("{" + name + "}");
            assertTrue(at > last, where + ": path parameter " + name + " out of path order");
            last = at;
          }
          @SuppressWarnings("unchecked")
          String type = (String) ((Map<String, Object>) p.get("schema")).get("type");
          if (List.of("run", "revision", "from", "to", "limit", "tailLines").contains(name)) {
            assertEquals("integer", type, where + ": " + name);
          }
          if (List.of("follow", "purgeVolumes").contains(name)) {
            assertEquals("boolean", type, where + ": " + name);
          }
        }
      }
    }
  }

  @Test
  void lastPagesAndEndlessTokensOmitWhatTheyDoNotHave() {
    createJobOk(ns, Fixtures.batchJob("only"));
    request().get(jobsPath(ns)).then().statusCode(200).body("$", not(hasKey("nextCursor")));
    String id =
        authorized()
            .contentType("application/json")
            .body(Map.of("name", "endless-" + ns, "role", "viewer", "namespaces", List.of(ns)))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .body("$", not(hasKey("expiresAt")))
            .extract()
            .path("id");
    // What a generated client sends for an operation whose only body is a problem document.
    authorized()
        .accept("application/problem+json")
        .delete("/api/v1/tokens/" + id)
        .then()
        .statusCode(204);
  }

  @Test
  void everyChangeOfTheJobsVersionAnswersItsNewETag() {
    createJobOk(ns, Fixtures.serviceJob("web"));
    String scaled =
        request()
            .body(Map.of("replicas", 3))
            .put(jobPath(ns, "web") + "/scale")
            .then()
            .statusCode(200)
            .extract()
            .header("ETag");
    assertEquals(request().get(jobPath(ns, "web")).header("ETag"), scaled);
    String suspended =
        request()
            .post(jobPath(ns, "web") + "/suspend")
            .then()
            .statusCode(200)
            .extract()
            .header("ETag");
    assertEquals(request().get(jobPath(ns, "web")).header("ETag"), suspended);
    request()
        .header("If-None-Match", suspended)
        .get(jobPath(ns, "web"))
        .then()
        .statusCode(304)
        .header("ETag", suspended);
  }
}
