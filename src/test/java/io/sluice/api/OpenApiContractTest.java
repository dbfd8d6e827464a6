package io.sluice.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed contract ({@code openapi/openapi.yaml}) must be exactly what the service serves, so
 * generated clients never drift from the code. On a mismatch the served document is written to
 * {@code target/openapi.yaml}; review the difference and copy it over the committed file.
 */
@QuarkusTest
@WithKubernetesTestServer
class OpenApiContractTest {
  private static final Path COMMITTED = Path.of("openapi/openapi.yaml");
  private static final Path SERVED = Path.of("target/openapi.yaml");

  @Test
  void committedContractMatchesTheServedOne() throws IOException {
    String served =
        given()
            .queryParam("format", "yaml")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Files.createDirectories(SERVED.getParent());
    Files.writeString(SERVED, served);
    assertTrue(Files.exists(COMMITTED), "openapi/openapi.yaml is missing; copy it from " + SERVED);
    assertEquals(
        Files.readString(COMMITTED),
        served,
        "openapi/openapi.yaml is stale: the API changed. Review `diff openapi/openapi.yaml target/openapi.yaml`"
            + " and commit target/openapi.yaml as openapi/openapi.yaml");
  }

  @Test
  void everyOperationHasAnIdASummaryAndDocumentedErrors() {
    io.restassured.path.json.JsonPath doc =
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    java.util.Map<String, java.util.Map<String, java.util.Map<String, Object>>> paths =
        doc.getMap("paths");
    int operations = 0;
    for (var path : paths.entrySet()) {
      for (var op : path.getValue().entrySet()) {
        if (op.getKey().equals("parameters")) {
          continue;
        }
        operations++;
        String where = op.getKey().toUpperCase() + " " + path.getKey();
        assertTrue(op.getValue().containsKey("operationId"), where + " has no operationId");
        assertTrue(op.getValue().containsKey("summary"), where + " has no summary");
        @SuppressWarnings("unchecked")
        var responses = (java.util.Map<String, Object>) op.getValue().get("responses");
        assertTrue(
            responses.keySet().stream().anyMatch(code -> code.startsWith("4")),
            where + " documents no error response");
      }
    }
    assertTrue(operations >= 9, "expected the Job API operations, found " + operations);
  }
}
