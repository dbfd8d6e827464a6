package io.sluice.security;

import static io.sluice.support.Api.as;
import static io.sluice.support.Api.authorized;
import static io.sluice.support.Api.jobsPath;
import static io.sluice.support.Api.request;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.render.Labels;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import io.sluice.support.Tokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A hostile tenant against the boundaries between tenants and between tenants and Sluice: token
 * management scoped to the caller's namespaces, callers identified by ids nobody can take again,
 * jobs kept away from Sluice's own namespace, service account and credentials, and per-namespace
 * quotas and resource defaults.
 */
@QuarkusTest
@WithKubernetesTestServer
class TenantIsolationTest {
  @Inject KubernetesClient cluster;

  /** Asks {@code by} to create a token. */
  private static Response create(String by, String name, String role, List<String> namespaces) {
    return as(by)
        .contentType("application/json")
        .body(Map.of("name", name, "role", role, "namespaces", namespaces))
        .post("/api/v1/tokens");
  }

  /** Creates a token as {@code by} and returns its id. */
  private static String issue(String by, String name, String role, List<String> namespaces) {
    return create(by, name, role, namespaces).then().statusCode(201).extract().path("id");
  }

  @Test
  void aNamespaceAdminSeesAndRevokesOnlyTokensInsideItsGrant() {
    String a = Fixtures.namespace();
    String b = Fixtures.namespace();
    String global = issue(Tokens.ADMIN, "global-" + a, "admin", List.of("*"));
    String other = issue(Tokens.ADMIN, "other-" + a, "operator", List.of(b));
    String straddling = issue(Tokens.ADMIN, "both-" + a, "viewer", List.of(a, b));
    String inside = issue(Tokens.ADMIN, "inside-" + a, "operator", List.of(a));
    String teamAdmin = Tokens.issue("admin", a);

    List<String> seen =
        as(teamAdmin).get("/api/v1/tokens").then().statusCode(200).extract().path("items.id");
    assertTrue(seen.contains(inside), seen.toString());
    for (String hidden : List.of(global, other, straddling)) {
      assertFalse(seen.contains(hidden), hidden + " is outside the caller's grant: " + seen);
      as(teamAdmin)
          .delete("/api/v1/tokens/" + hidden)
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
    assertEquals(
        0,
        Db.count(
            "select count(*) from api_tokens where id in (?::uuid, ?::uuid, ?::uuid) and revoked_at is not null",
            global,
            other,
            straddling));
    as(teamAdmin).delete("/api/v1/tokens/" + inside).then().statusCode(204);
    // The global admin still sees everything.
    List<String> all =
        authorized().get("/api/v1/tokens").then().statusCode(200).extract().path("items.id");
    assertTrue(all.containsAll(List.of(global, other, straddling)), all.toString());
  }

  @Test
  void tokenNamesAreNeverReusedAndCallersAreRecordedByTheirId() {
    String ns = Fixtures.namespace();
    String name = "airflow-" + ns;
    String id = issue(Tokens.ADMIN, name, "operator", List.of(ns));
    authorized().delete("/api/v1/tokens/" + id).then().statusCode(204);
    for (String taken : List.of(name, "test-admin")) {
      create(Tokens.ADMIN, taken, "operator", List.of(ns))
          .then()
          .statusCode(409)
          .body("detail", org.hamcrest.Matchers.containsString("never reused"));
    }

    Response created = create(Tokens.ADMIN, "loader-" + ns, "operator", List.of(ns));
    String token = created.path("token");
    String tokenId = created.path("id");
    as(token)
        .contentType("application/json")
        .body(Fixtures.batchJob("by-id"))
        .post(jobsPath(ns))
        .then()
        .statusCode(201)
        .body("createdBy", is("token:" + tokenId));
    as(token)
        .get(jobsPath(ns) + "/by-id/events")
        .then()
        .statusCode(200)
        .body("items.find { it.action == 'job.created' }.actor", is("token:" + tokenId))
        .body("items.find { it.action == 'job.created' }.actorName", is("token:loader-" + ns));
  }

  @Test
  void anIdempotencyKeyBelongsToTheTokenIdNotItsName() {
    String ns = Fixtures.namespace();
    request().body(Fixtures.batchJob("j")).post(jobsPath(ns)).then().statusCode(201);
    Response created = create(Tokens.ADMIN, "runner-" + ns, "operator", List.of(ns));
    String token = created.path("token");
    String id = created.path("id");
    as(token)
        .contentType("application/json")
        .header("Idempotency-Key", "nightly")
        .post(jobsPath(ns) + "/j/runs")
        .then()
        .statusCode(201);
    assertEquals(
        1, Db.count("select count(*) from idempotency_keys where scope = ?", "token:" + id));
  }

  @Test
  void anExpiredTokenIsRefusedFromItsExpiryOnEvenWhileCached() {
    String ns = Fixtures.namespace();
    String token =
        authorized()
            .contentType("application/json")
            .body(
                Map.of(
                    "name",
                    "brief-" + ns,
                    "role",
                    "viewer",
                    "namespaces",
                    List.of(ns),
                    "expiresAt",
                    OffsetDateTime.now().plusSeconds(2).toString()))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    as(token).get(jobsPath(ns)).then().statusCode(200);
    // The token cache's TTL (10 s) is longer than what is left of the token's life.
    Awaitility.await()
        .atMost(Duration.ofSeconds(6))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> as(token).get(jobsPath(ns)).statusCode() == 401);
    authorized()
        .contentType("application/json")
        .body(
            Map.of(
                "name",
                "forever-" + ns,
                "role",
                "viewer",
                "namespaces",
                List.of(ns),
                "expiresAt",
                "+999999999-12-31T23:59:59Z"))
        .post("/api/v1/tokens")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("expiresAt"));
  }

  @Test
  void jobsNeverRunInSystemNamespacesOrAsSluicesOwnAccount() {
    for (String reserved : List.of("kube-system", "kube-public")) {
      request()
          .body(Fixtures.batchJob("escape"))
          .post(jobsPath(reserved))
          .then()
          .statusCode(422)
          .body("reason", is("POLICY_VIOLATION"))
          .body("errors.rule", hasItem("reservedNamespace"));
    }
    // Sluice's own namespace is opened to jobs in the test profile, yet its account stays closed.
    Map<String, Object> impostor =
        Fixtures.with(
            Fixtures.with(
                Fixtures.with(Fixtures.batchJob("impostor"), "spec.serviceAccountName", "sluice"),
                "spec.secretRefs",
                List.of("sluice-db")),
            "spec.automountServiceAccountToken",
            true);
    request()
        .body(impostor)
        .post(jobsPath("sluice"))
        .then()
        .statusCode(422)
        .body("errors.rule", hasItem("sluiceServiceAccount"));
    assertEquals(
        0,
        Db.count(
            "select count(*) from jobs where namespace in ('kube-system', 'kube-public') or name in ('escape', 'impostor')"));
    request()
        .get("/api/v1/namespaces/kube-system/policy")
        .then()
        .statusCode(200)
        .body("reservedNamespace", is(true))
        .body("allowReservedNamespace", is(false));
  }

  @Test
  void aStoredSpecThatPolicyNowForbidsIsNeverApplied() {
    // As if written before this rule existed: the stored spec names Sluice's own account.
    request().body(Fixtures.batchJob("legacy")).post(jobsPath("sluice")).then().statusCode(201);
    Db.execute(
        "update jobs set spec = jsonb_set(spec, '{serviceAccountName}', '\"sluice\"'),"
            + " generation = generation + 1, next_reconcile_at = now()"
            + " where namespace = 'sluice' and name = 'legacy' and deleted_at is null");
    authorized()
        .contentType("application/json")
        .post(jobsPath("sluice") + "/legacy/runs")
        .then()
        .statusCode(201);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                request()
                    .get(jobsPath("sluice") + "/legacy")
                    .then()
                    .body(
                        "status.message",
                        org.hamcrest.Matchers.containsString("Sluice's own ServiceAccount")));
    assertTrue(
        cluster
            .resources(Job.class)
            .inNamespace("sluice")
            .withLabel(Labels.NAME, "legacy")
            .list()
            .getItems()
            .isEmpty(),
        "no run Job was created for a spec policy forbids");
    request().delete(jobsPath("sluice") + "/legacy").then().statusCode(202);
  }

  @Test
  void serviceAccountsSecretsAndApiTokensFollowTheNamespacesAllowLists() {
    Map<String, Object> locked =
        Fixtures.with(
            Fixtures.with(
                Fixtures.batchJob("identity"),
                "spec.batch",
                Map.of("activeDeadlineSeconds", 600, "ttlSecondsAfterFinished", 60)),
            "spec.image",
            "ghcr.io/acme/ingest:1.0");
    Response refused =
        request()
            .body(
                Fixtures.with(
                    Fixtures.with(
                        Fixtures.with(locked, "spec.serviceAccountName", "default-admin"),
                        "spec.secretRefs",
                        List.of("warehouse-creds", "cloud-root")),
                    "spec.automountServiceAccountToken",
                    true))
            .post(jobsPath("locked"));
    refused
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("spec.serviceAccountName"))
        .body("errors.field", hasItem("spec.secretRefs[1]"))
        .body("errors.field", not(hasItem("spec.secretRefs[0]")))
        .body("errors.field", hasItem("spec.automountServiceAccountToken"));
    String name = "identity-" + System.nanoTime();
    request()
        .body(
            Fixtures.with(
                Fixtures.with(
                    Fixtures.with(locked, "name", name), "spec.serviceAccountName", "etl-loader"),
                "spec.secretRefs",
                List.of("warehouse-creds")))
        .post(jobsPath("locked"))
        .then()
        .statusCode(201);
    authorized()
        .contentType("application/json")
        .post(jobsPath("locked") + "/" + name + "/runs")
        .then()
        .statusCode(201);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !cluster
                    .resources(Job.class)
                    .inNamespace("locked")
                    .withLabel(Labels.NAME, name)
                    .list()
                    .getItems()
                    .isEmpty());
    Job job =
        cluster
            .resources(Job.class)
            .inNamespace("locked")
            .withLabel(Labels.NAME, name)
            .list()
            .getItems()
            .get(0);
    assertEquals("etl-loader", job.getSpec().getTemplate().getSpec().getServiceAccountName());
    assertEquals(
        Boolean.FALSE,
        job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(),
        "a pod gets no API token unless its job asks and policy allows");
    request().delete(jobsPath("locked") + "/" + name).then().statusCode(202);
  }

  @Test
  void aNamespaceQuotaCountsJobsAndSpecBytes() {
    request().body(Fixtures.batchJob("q1")).post(jobsPath("tiny")).then().statusCode(201);
    Map<String, Object> big =
        Fixtures.with(Fixtures.batchJob("q2"), "spec.config", Map.of("big.txt", "x".repeat(8000)));
    request()
        .body(big)
        .post(jobsPath("tiny"))
        .then()
        .statusCode(422)
        .body("errors.rule", hasItem("maxSpecBytes"));
    request().body(Fixtures.batchJob("q2")).post(jobsPath("tiny")).then().statusCode(201);
    request()
        .body(Fixtures.batchJob("q3"))
        .post(jobsPath("tiny"))
        .then()
        .statusCode(422)
        .body("errors.rule", hasItem("maxJobs"));
    assertEquals(
        2, Db.count("select count(*) from jobs where namespace = 'tiny' and deleted_at is null"));
  }

  @Test
  void aJobWithoutResourcesGetsTheNamespacesDefaultsWithinItsMaxima() {
    Map<String, Object> bare = Fixtures.with(Fixtures.batchJob("bare"), "spec.resources", null);
    request()
        .body(bare)
        .post(jobsPath("capped"))
        .then()
        .statusCode(201)
        .body("spec.resources.limits.cpu", is("500m"))
        .body("spec.resources.limits.memory", is("1Gi"))
        .body("spec.resources.requests.cpu", is("100m"))
        .body("spec.resources.requests.memory", is("256Mi"));
    // A request above the default limit raises the limit with it, up to the maximum.
    request()
        .body(
            Fixtures.with(
                Fixtures.with(Fixtures.batchJob("greedy"), "spec.resources", null),
                "spec.resources",
                Map.of("requests", Map.of("cpu", "4"))))
        .post(jobsPath("capped"))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("spec.resources.requests.cpu"));
    String ns = Fixtures.namespace();
    request()
        .body(Fixtures.with(Fixtures.batchJob("default"), "spec.resources", null))
        .post(jobsPath(ns))
        .then()
        .statusCode(201)
        .body("spec.resources.limits.cpu", is("2"))
        .body("spec.resources.limits.memory", is("2Gi"))
        .body("spec.resources.requests", not(nullValue()));
  }
}
