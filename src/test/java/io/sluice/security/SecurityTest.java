package io.sluice.security;

import static io.sluice.support.Api.as;
import static io.sluice.support.Api.authorized;
import static io.sluice.support.Api.createJobOk;
import static io.sluice.support.Api.jobsPath;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import io.sluice.support.Tokens;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may call what. Endpoints are read from the committed OpenAPI contract, so an endpoint added
 * later is covered by these checks without anyone remembering to add it here.
 */
@QuarkusTest
@WithKubernetesTestServer
class SecurityTest {
  private String mine;
  private String theirs;

  record Endpoint(String method, String template) {
    String path(String namespace, String job) {
      return template
          .replace("{namespace}", namespace)
          .replace("{name}", job)
          .replace("{run}", "1")
          .replace("{revision}", "1")
          .replace("{from}", "1")
          .replace("{to}", "1")
          .replace("{pod}", POD)
          .replace("{secret}", "creds")
          .replace("{id}", "00000000-0000-7000-8000-000000000000");
    }

    boolean reads() {
      return method.equals("GET");
    }

    boolean namespaced() {
      return template.contains("{namespace}");
    }

    Response call(RequestSpecification request, String namespace, String job) {
      RequestSpecification r = request.contentType("application/json");
      if (!reads() && !method.equals("DELETE")) {
        r = r.body(template.endsWith("/jobs") ? Fixtures.batchJob(job) : Map.of("replicas", 1));
      }
      return r.request(method, path(namespace, job));
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  static List<Endpoint> endpoints() throws IOException {
    JsonNode paths =
        new ObjectMapper()
            .readTree(RestAssured.get("/q/openapi?format=json").asString())
            .get("paths");
    List<Endpoint> out = new ArrayList<>();
    for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
      String path = it.next();
      if (path.startsWith("/api/")) {
        paths
            .get(path)
            .fields()
            .forEachRemaining(
                op -> {
                  // Only the API's index is open, and the contract says so (no security).
                  if (op.getValue().path("security").size() > 0) {
                    out.add(new Endpoint(op.getKey().toUpperCase(), path));
                  } else {
                    assertEquals("/api/v1", path, "an /api operation without security");
                  }
                });
      }
    }
    assertTrue(out.size() >= 25, "the contract lists the API's endpoints: " + out.size());
    return out;
  }

  /** A pod of each namespace's job, so that reading one pod's logs has a pod to read. */
  static final String POD = "j-1-x7k2q";

  @jakarta.inject.Inject io.fabric8.kubernetes.client.KubernetesClient cluster;

  @BeforeEach
  void twoNamespacesWithAJobAndARun() {
    mine = Fixtures.namespace();
    theirs = Fixtures.namespace();
    for (String ns : List.of(mine, theirs)) {
      String id = createJobOk(ns, Fixtures.batchJob("j")).path("id");
      cluster
          .pods()
          .inNamespace(ns)
          .resource(
              new io.fabric8.kubernetes.api.model.PodBuilder()
                  .withNewMetadata()
                  .withName(POD)
                  .addToLabels(io.sluice.render.Labels.JOB_ID, id)
                  .addToLabels(io.sluice.render.Labels.KUBERNETES_JOB_NAME, "j-1")
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("main")
                  .withImage("x")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
      authorized()
          .contentType("application/json")
          .post(jobsPath(ns) + "/j/runs")
          .then()
          .statusCode(201);
      // A pipeline of the same name with a run whose step has started (its job's run 2), so
      // pipeline routes have something to read and nothing changes behind a test's back.
      authorized()
          .contentType("application/json")
          .body(
              io.sluice.support.Pipelines.pipeline("j", io.sluice.support.Pipelines.step("s", "j")))
          .post(io.sluice.support.Pipelines.path(ns))
          .then()
          .statusCode(201);
      authorized()
          .contentType("application/json")
          .post(io.sluice.support.Pipelines.path(ns, "j") + "/runs")
          .then()
          .statusCode(201);
      io.sluice.support.Cluster.eventually(
          () ->
              assertEquals(
                  1,
                  Db.count(
                      "select count(*) from runs where namespace = ? and pipeline_step = 's'",
                      ns)));
    }
  }

  @Test
  void everyApiEndpointRefusesAMissingOrBadTokenWith401() throws IOException {
    String expired =
        Jwt.issuer(Tokens.ISSUER)
            .upn("eve")
            .groups("admin")
            .claim("namespaces", List.of("*"))
            .issuedAt(Instant.now().minusSeconds(7200))
            .expiresAt(Instant.now().minusSeconds(3600))
            .sign(Tokens.key("security/jwt-private.pem"));
    String wrongIssuer =
        Jwt.issuer("https://evil.example")
            .upn("eve")
            .groups("admin")
            .claim("namespaces", List.of("*"))
            .sign(Tokens.key("security/jwt-private.pem"));
    String unsigned = "eyJhbGciOiJub25lIn0.eyJ1cG4iOiJldmUiLCJncm91cHMiOlsiYWRtaW4iXX0.";
    List<RequestSpecification> callers = new ArrayList<>();
    callers.add(RestAssured.given());
    for (String bad :
        List.of(
            "sluice_no-such-token",
            "garbage",
            expired,
            wrongIssuer,
            unsigned,
            "sluice_" + "x".repeat(5000))) {
      callers.add(as(bad));
    }
    callers.add(RestAssured.given().header("Authorization", "Basic YWRtaW46YWRtaW4="));
    for (Endpoint endpoint : endpoints()) {
      for (RequestSpecification caller : callers) {
        endpoint
            .call(caller, mine, "j")
            .then()
            .statusCode(401)
            .contentType("application/problem+json")
            .header("WWW-Authenticate", startsWith("Bearer"))
            .body("reason", is("UNAUTHENTICATED"));
      }
    }
    assertEquals(1, Db.count("select count(*) from jobs where namespace = ?", mine));
  }

  @Test
  void aViewerReadsButEveryWriteIs403AndChangesNothing() throws IOException {
    String viewer = Tokens.issue("viewer", mine);
    long rows = Db.rowsInNamespace(mine);
    for (Endpoint endpoint : endpoints()) {
      if (!endpoint.namespaced() && !endpoint.reads()) {
        continue;
      }
      Response response = endpoint.call(as(viewer), mine, "j");
      if (endpoint.template.startsWith("/api/v1/tokens")) {
        assertEquals(403, response.statusCode(), endpoint.toString());
      } else if (endpoint.reads()) {
        assertFalse(
            Set.of(401, 403, 404).contains(response.statusCode()),
            endpoint + " -> " + response.statusCode());
      } else {
        response
            .then()
            .statusCode(403)
            .contentType("application/problem+json")
            .body("reason", is("FORBIDDEN"));
      }
    }
    assertEquals(rows, Db.rowsInNamespace(mine));
  }

  @Test
  void anotherNamespaceIs404OnEveryEndpointWhetherOrNotTheJobExists() throws IOException {
    String operator = Tokens.issue("operator", mine);
    long rows = Db.rowsInNamespace(theirs);
    for (Endpoint endpoint : endpoints()) {
      if (!endpoint.namespaced()) {
        continue;
      }
      Response existing = endpoint.call(as(operator), theirs, "j");
      Response missing = endpoint.call(as(operator), theirs, "no-such-job");
      existing.then().statusCode(404).contentType("application/problem+json");
      assertEquals(
          existing.jsonPath().getString("detail"),
          missing.jsonPath().getString("detail"),
          endpoint.toString());
      assertEquals(
          404, endpoint.call(as(operator), "never-created", "j").statusCode(), endpoint.toString());
    }
    assertEquals(rows, Db.rowsInNamespace(theirs));
    // Its own namespace works.
    as(operator).get(jobsPath(mine) + "/j").then().statusCode(200);
  }

  @Test
  void theAllNamespacesListShowsOnlyGrantedNamespaces() {
    String operator = Tokens.issue("operator", mine);
    List<String> namespaces =
        as(operator)
            .get("/api/v1/jobs?limit=500")
            .then()
            .statusCode(200)
            .extract()
            .path("items.namespace");
    assertTrue(namespaces.contains(mine), namespaces.toString());
    assertTrue(namespaces.stream().allMatch(mine::equals), namespaces.toString());
    List<String> filtered =
        as(operator)
            .get("/api/v1/jobs?labelSelector=team&limit=500")
            .then()
            .statusCode(200)
            .extract()
            .path("items.namespace");
    assertTrue(filtered.stream().allMatch(mine::equals), filtered.toString());
    String none = Tokens.issue("viewer", "empty-" + mine);
    as(none).get("/api/v1/jobs").then().statusCode(200).body("items.size()", is(0));
  }

  @Test
  void idempotencyKeysAreScopedToTheCaller() {
    String alice = Tokens.issue("operator", mine);
    String bob = Tokens.issue("operator", mine, theirs);
    String path = jobsPath(mine) + "/j/runs";
    Response first =
        as(alice).contentType("application/json").header("Idempotency-Key", "nightly-1").post(path);
    Response second =
        as(bob).contentType("application/json").header("Idempotency-Key", "nightly-1").post(path);
    first.then().statusCode(201);
    second.then().statusCode(201);
    assertNotEquals(first.jsonPath().getInt("number"), second.jsonPath().getInt("number"));
    // Two callers, same key, same body: two jobs.
    Map<String, Object> job = Fixtures.batchJob("shared-key");
    as(alice)
        .contentType("application/json")
        .header("Idempotency-Key", "k")
        .body(job)
        .post(jobsPath(mine))
        .then()
        .statusCode(201);
    as(bob)
        .contentType("application/json")
        .header("Idempotency-Key", "k")
        .body(Fixtures.with(job, "name", "shared-key-2"))
        .post(jobsPath(mine))
        .then()
        .statusCode(201);
    assertEquals(
        2,
        Db.count(
            "select count(*) from jobs where namespace = ? and name like 'shared-key%'", mine));
    // A replay never crosses into a namespace the caller lost: the key's first answer stays hidden.
    String aliceElsewhere = Tokens.issue("operator", theirs);
    as(bob)
        .contentType("application/json")
        .header("Idempotency-Key", "k2")
        .post(jobsPath(theirs) + "/j/runs")
        .then()
        .statusCode(201);
    as(alice)
        .contentType("application/json")
        .header("Idempotency-Key", "k2")
        .post(jobsPath(theirs) + "/j/runs")
        .then()
        .statusCode(404);
    as(aliceElsewhere).get(jobsPath(theirs) + "/j").then().statusCode(200);
  }

  @Test
  void tokensAreStoredOnlyAsHashesShownOnceAndRevocable() {
    Response created =
        authorized()
            .contentType("application/json")
            .body(
                Map.of("name", "airflow-" + mine, "role", "operator", "namespaces", List.of(mine)))
            .post("/api/v1/tokens");
    created
        .then()
        .statusCode(201)
        .header("Cache-Control", org.hamcrest.Matchers.containsString("no-store"))
        .body("role", is("operator"));
    String token = created.path("token");
    String id = created.path("id");
    assertTrue(token.startsWith("sluice_") && token.length() >= 40, token);
    assertEquals(
        1,
        Db.count(
            "select count(*) from api_tokens where id = ?::uuid and sha256 = ?",
            id,
            ApiTokens.sha256(token)));
    assertEquals(
        0,
        Db.count(
            "select count(*) from api_tokens where name || sha256 || role || namespaces || created_by like ?",
            "%" + token.substring(7, 20) + "%"));
    authorized()
        .get("/api/v1/tokens")
        .then()
        .statusCode(200)
        .body("items.find { it.id == '" + id + "' }.namespaces", equalTo(List.of(mine)))
        .body("items.token", not(org.hamcrest.Matchers.hasItem(token)))
        .body(not(org.hamcrest.Matchers.containsString(token)));
    as(token).get(jobsPath(mine)).then().statusCode(200);
    // Same name again while live: 409. Bad requests: 422 with every field.
    authorized()
        .contentType("application/json")
        .body(Map.of("name", "airflow-" + mine, "role", "operator", "namespaces", List.of(mine)))
        .post("/api/v1/tokens")
        .then()
        .statusCode(409);
    authorized()
        .contentType("application/json")
        .body(Map.of("name", "Bad Name", "role", "root", "namespaces", List.of("kube system")))
        .post("/api/v1/tokens")
        .then()
        .statusCode(422)
        .body(
            "errors.field",
            org.hamcrest.Matchers.containsInAnyOrder("name", "role", "namespaces[0]"));
    authorized().delete("/api/v1/tokens/" + id).then().statusCode(204);
    authorized().delete("/api/v1/tokens/" + id).then().statusCode(404);
    as(token).get(jobsPath(mine)).then().statusCode(401);
  }

  @Test
  void onlyAdminsManageTokensAndNeverBeyondTheirOwnGrant() {
    String operator = Tokens.issue("operator", mine);
    as(operator).get("/api/v1/tokens").then().statusCode(403);
    String teamAdmin = Tokens.issue("admin", mine);
    as(teamAdmin)
        .contentType("application/json")
        .body(Map.of("name", "escalate", "role", "admin", "namespaces", List.of("*")))
        .post("/api/v1/tokens")
        .then()
        .statusCode(403)
        .body("reason", is("FORBIDDEN"));
    as(teamAdmin)
        .contentType("application/json")
        .body(Map.of("name", "sideways", "role", "viewer", "namespaces", List.of(theirs)))
        .post("/api/v1/tokens")
        .then()
        .statusCode(403);
    as(teamAdmin)
        .contentType("application/json")
        .body(Map.of("name", "team-viewer-" + mine, "role", "viewer", "namespaces", List.of(mine)))
        .post("/api/v1/tokens")
        .then()
        .statusCode(201);
    assertEquals(
        0, Db.count("select count(*) from api_tokens where name in ('escalate', 'sideways')"));
  }

  @Test
  void everyTokenRouteKeepsAScopedAdminInsideItsGrant() throws IOException {
    String teamAdmin = Tokens.issue("admin", mine);
    String globalId =
        authorized()
            .contentType("application/json")
            .body(Map.of("name", "root-" + mine, "role", "admin", "namespaces", List.of("*")))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    int checked = 0;
    for (Endpoint endpoint : endpoints()) {
      if (!endpoint.template.startsWith("/api/v1/tokens")) {
        continue;
      }
      checked++;
      String path = endpoint.template.replace("{id}", globalId);
      Response response =
          as(teamAdmin)
              .contentType("application/json")
              .body(Map.of("name", "x-" + mine, "role", "viewer", "namespaces", List.of(mine)))
              .request(endpoint.method, path);
      if (endpoint.template.contains("{id}")) {
        assertEquals(404, response.statusCode(), endpoint.toString());
      } else if (endpoint.reads()) {
        assertFalse(response.asString().contains(globalId), endpoint + " shows a global token");
      }
    }
    assertTrue(checked >= 3, "token routes found in the contract: " + checked);
    assertEquals(
        0,
        Db.count(
            "select count(*) from api_tokens where id = ?::uuid and revoked_at is not null",
            globalId));
  }

  @Test
  void jwtBearersGetTheirRoleFromGroupsAndNamespacesFromAClaim() {
    String alice = Tokens.jwt("alice", Set.of("operator"), List.of(mine));
    as(alice)
        .contentType("application/json")
        .body(Fixtures.batchJob("by-jwt"))
        .post(jobsPath(mine))
        .then()
        .statusCode(201)
        .body("createdBy", is("jwt:" + Tokens.ISSUER + "#alice"));
    as(alice).get(jobsPath(theirs) + "/j").then().statusCode(404);
    as(alice).get("/api/v1/tokens").then().statusCode(403);
    String noRole = Tokens.jwt("mallory", Set.of("developers"), List.of("*"));
    as(noRole).get(jobsPath(mine)).then().statusCode(403);
    String noNamespaces = Tokens.jwt("nobody", Set.of("viewer"), List.of());
    as(noNamespaces).get(jobsPath(mine)).then().statusCode(404);
    String everywhere = Tokens.jwt("root", Set.of("admin", "viewer"), List.of("*"));
    as(everywhere).get(jobsPath(theirs) + "/j").then().statusCode(200);
    String otherKey;
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      otherKey =
          Jwt.issuer(Tokens.ISSUER)
              .upn("eve")
              .groups("admin")
              .claim("namespaces", List.of("*"))
              .sign(generator.generateKeyPair().getPrivate());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    as(otherKey).get(jobsPath(mine)).then().statusCode(401);
  }

  @Test
  void nonApiEndpointsStayOpenForProbesAndTheContract() {
    RestAssured.get("/q/health/live").then().statusCode(200);
    RestAssured.get("/q/openapi").then().statusCode(200);
  }
}
