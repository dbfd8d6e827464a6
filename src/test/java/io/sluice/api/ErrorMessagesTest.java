package io.sluice.api;

import static io.sluice.support.Api.authorized;
import static io.sluice.support.Api.createJobOk;
import static io.sluice.support.Api.jobPath;
import static io.sluice.support.Api.jobsPath;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.sluice.support.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The answers a new user meets first, and what they say: media types named, fields listed, the
 * methods a path takes, an index where the API begins, and JSON that ends its line.
 */
@QuarkusTest
@WithKubernetesTestServer
class ErrorMessagesTest {
  private final String ns = Fixtures.namespace();

  private static final String YAML_JOB =
      "name: %s\ntype: ingestion\nspec:\n  image: ghcr.io/acme/ingest:1.0\n";

  @Test
  void anUnsupportedMediaTypeNamesTheAcceptedOnesAndTheYamlAliasesWork() {
    authorized()
        .contentType("text/plain")
        .body("name: x")
        .post(jobsPath(ns))
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("detail", containsString("text/plain"))
        .body("detail", containsString("application/json"))
        .body("detail", containsString("application/yaml"));
    for (String alias : new String[] {"application/x-yaml", "text/yaml"}) {
      String name = "yaml-" + alias.replaceAll("[^a-z]", "");
      authorized()
          .contentType(alias)
          .body(YAML_JOB.formatted(name).getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .post(jobsPath(ns))
          .then()
          .statusCode(201)
          .body("name", is(name));
    }
  }

  @Test
  void anUnknownFieldListsTheFieldsThatAreKnown() {
    createJobOk(ns, Fixtures.serviceJob("web"));
    authorized()
        .contentType("application/json")
        .body("{\"revision\": 1}")
        .post(jobPath(ns, "web") + "/rollback")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("revision"))
        .body("detail", containsString("known fields"))
        .body("detail", containsString("toRevision"));
  }

  @Test
  void aMethodThePathDoesNotTakeIs405WithAllow() {
    createJobOk(ns, Fixtures.serviceJob("web"));
    authorized()
        .contentType("application/json")
        .body("{}")
        .patch(jobPath(ns, "web"))
        .then()
        .statusCode(405)
        .contentType("application/problem+json")
        .header("Allow", notNullValue())
        .header("Allow", containsString("GET"))
        .body("detail", containsString("PATCH"));
  }

  @Test
  void theApiAndTheRootAnswerAnIndexWithoutAToken() {
    for (String path : new String[] {"/", "/api/v1"}) {
      RestAssured.get(path)
          .then()
          .statusCode(200)
          .contentType("application/json")
          .body("links.openapi", is("/q/openapi"))
          .body("links.jobs", is("/api/v1/jobs"))
          .body("authentication", containsString("Bearer"));
    }
  }

  @Test
  void jsonAnswersEndWithANewline() {
    String job = createJobOk(ns, Fixtures.serviceJob("web")).asString();
    assertTrue(job.endsWith("}\n"), job);
    String problem = authorized().get(jobPath(ns, "missing")).asString();
    assertTrue(problem.endsWith("}\n"), problem);
  }
}
