package io.sluice.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed contract ({@code openapi/openapi.yaml}) must be exactly what the code says, so
 * generated clients never drift from it: the document generated from the resources' annotations
 * ({@link ContractGenerator}) must equal the committed file, and the service must serve that file.
 * On a mismatch the generated document is written to {@code target/openapi.yaml}; review the
 * difference and copy it over the committed file.
 */
@QuarkusTest
@WithKubernetesTestServer
class OpenApiContractTest {
  private static final Path COMMITTED = Path.of("openapi/openapi.yaml");
  private static final Path GENERATED = Path.of("target/openapi.yaml");

  @Test
  void committedContractMatchesTheCode() throws IOException {
    String generated = ContractGenerator.yaml(Path.of("target/classes"));
    Files.createDirectories(GENERATED.getParent());
    Files.writeString(GENERATED, generated);
    assertTrue(
        Files.exists(COMMITTED), "openapi/openapi.yaml is missing; copy it from " + GENERATED);
    assertEquals(
        Files.readString(COMMITTED),
        generated,
        "openapi/openapi.yaml is stale: the API changed. Review `diff openapi/openapi.yaml target/openapi.yaml`"
            + " and commit target/openapi.yaml as openapi/openapi.yaml");
  }

  @Test
  void theServiceServesTheCommittedContract() throws IOException {
    String committed = Files.readString(COMMITTED);
    given()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .contentType(startsWith("application/yaml"))
        .body(equalTo(committed));
    given().get("/q/openapi.yaml").then().statusCode(200).body(equalTo(committed));
    JsonNode expected = new ObjectMapper(new YAMLFactory()).readTree(committed);
    for (var json :
        List.of(
            given().queryParam("format", "json").get("/q/openapi"),
            given().accept("application/json").get("/q/openapi"),
            given().get("/q/openapi.json"))) {
      json.then().statusCode(200).contentType(startsWith("application/json"));
      assertEquals(expected, new ObjectMapper().readTree(json.asByteArray()));
    }
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
