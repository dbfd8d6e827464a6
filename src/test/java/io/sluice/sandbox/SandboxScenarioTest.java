package io.sluice.sandbox;

import static io.sluice.support.Cluster.eventually;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's walk-through, run against the sandbox exactly as {@code ./mvnw quarkus:dev} starts
 * it: embedded PostgreSQL, simulated cluster, the job definitions from {@code examples/}.
 */
@QuarkusTest
@TestProfile(SandboxScenarioTest.Sandbox.class)
public class SandboxScenarioTest {

  /** Sandbox mode with its own embedded database and cluster, and quick simulated pods. */
  public static class Sandbox implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        return Map.of(
            "sluice.sandbox.enabled", "true",
            "sluice.sandbox.data-dir", Files.createTempDirectory("sluice-sandbox-test").toString(),
            "sluice.sandbox.pod-start-delay", "300ms",
            "sluice.sandbox.run-duration", "700ms");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  private static final String DATA = "/api/v1/namespaces/data/jobs";

  @Test
  void theReadmeScenario() throws IOException {
    RestAssured.get("/api/v1/info").then().statusCode(401);
    sandbox()
        .get("/api/v1/info")
        .then()
        .statusCode(200)
        .body("mode", is("sandbox"))
        .body("simulatedCluster", is(true))
        .body("embeddedDatabase", is(true));

    // 1. An ingestion batch job with config and a volume; a run that succeeds; its logs.
    json()
        .body(example("ingestion-batch.json"))
        .post(DATA)
        .then()
        .statusCode(201)
        .body("workload", is("batch"));
    json().post(DATA + "/clickstream-ingest/runs").then().statusCode(201).body("number", is(1));
    eventually(
        () ->
            sandbox()
                .get(DATA + "/clickstream-ingest/runs/1")
                .then()
                .body("phase", is("SUCCEEDED"))
                .body("exitCode", is(0)));
    String logs =
        sandbox()
            .get(DATA + "/clickstream-ingest/runs/1/logs")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(
        logs.contains("Started container main with args [--source, s3://raw/clickstream"), logs);
    assertTrue(logs.contains("Config mounted at /etc/sluice/config"), logs);
    assertTrue(logs.contains("Volume staging mounted at /data/staging"), logs);
    eventually(
        () ->
            sandbox()
                .get(DATA + "/clickstream-ingest")
                .then()
                .body("status.lastStableRevision", is(1)));

    // 2. A processing service (posted as YAML) scaled to 3, updated, then rolled back.
    sandbox()
        .contentType("application/yaml")
        .body(example("processing-service.yaml").getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post(DATA)
        .then()
        .statusCode(201)
        .body("workload", is("service"));
    eventually(() -> sandbox().get(DATA + "/sessionizer").then().body("status.phase", is("READY")));
    json().body(Map.of("replicas", 3)).put(DATA + "/sessionizer/scale").then().statusCode(200);
    eventually(
        () ->
            sandbox()
                .get(DATA + "/sessionizer")
                .then()
                .body("status.phase", is("READY"))
                .body("status.readyReplicas", is(3)));
    json()
        .body(example("processing-service-update.json"))
        .put(DATA + "/sessionizer")
        .then()
        .statusCode(200)
        .body("revision", is(2));
    eventually(
        () ->
            sandbox()
                .get(DATA + "/sessionizer")
                .then()
                .body("status.appliedRevision", is(2))
                .body("status.phase", is("READY"))
                .body("status.readyReplicas", is(3))
                .body("status.lastStableRevision", is(2)));
    json()
        .post(DATA + "/sessionizer/rollback")
        .then()
        .statusCode(200)
        .body("revision", is(3))
        .body("spec.image", is("ghcr.io/acme/sessionizer:2.0.0"));
    eventually(
        () ->
            sandbox()
                .get(DATA + "/sessionizer")
                .then()
                .body("status.appliedRevision", is(3))
                .body("status.phase", is("READY"))
                .body("status.readyReplicas", is(3)));
    sandbox().get(DATA + "/sessionizer/revisions/3").then().body("rollbackOf", is(1));

    // 3. A storage job: a PostgreSQL StatefulSet with a volume per replica. Its Secret does not
    // exist yet: the kubelet will not create its containers, and the job says why.
    json()
        .body(example("storage-stateful.json"))
        .post(DATA)
        .then()
        .statusCode(201)
        .body("workload", is("stateful"))
        .body("spec.securityContext.runAsUser", is(999))
        .body("spec.securityContext.fsGroup", is(999));
    eventually(
        () ->
            sandbox()
                .get(DATA + "/warehouse")
                .then()
                .body("status.phase", is("PROGRESSING"))
                .body(
                    "status.message", containsString("secret \"warehouse-credentials\" not found"))
                .body("status.podIssues[0].reason", is("CreateContainerConfigError")));
    sandbox()
        .get(DATA + "/warehouse/pods")
        .then()
        .statusCode(200)
        .body("items[0].status", is("CreateContainerConfigError"))
        .body("events.reason", hasItem("Failed"));
    json()
        .body(Map.of("stringData", Map.of("POSTGRES_PASSWORD", "change-me")))
        .put("/api/v1/namespaces/data/sandbox/secrets/warehouse-credentials")
        .then()
        .statusCode(201)
        .body("keys", contains("POSTGRES_PASSWORD"));
    eventually(
        () ->
            sandbox()
                .get(DATA + "/warehouse")
                .then()
                .body("status.phase", is("READY"))
                .body("status.readyReplicas", is(2))
                .body("status.podIssues", nullValue()));
    try (KubernetesClient cluster =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl(System.getProperty(SandboxCluster.URL_PROPERTY))
                    .build())
            .build()) {
      assertNotNull(
          cluster.persistentVolumeClaims().inNamespace("data").withName("data-warehouse-0").get());
      assertNotNull(
          cluster.persistentVolumeClaims().inNamespace("data").withName("data-warehouse-1").get());
      assertEquals(
          2,
          cluster
              .pods()
              .inNamespace("data")
              .withLabel("app.kubernetes.io/name", "warehouse")
              .list()
              .getItems()
              .size());
    }
    sandbox()
        .get("/api/v1/jobs")
        .then()
        .body("items.name", hasItems("clickstream-ingest", "sessionizer", "warehouse"));

    // 4. A pipeline: ingest, clean and load, the load waiting for the warehouse. Clean fails on
    // both attempts, is fixed, and the run resumes from it at the job's new revision.
    json().body(example("processing-clean.json")).post(DATA).then().statusCode(201);
    json().body(example("storage-load.json")).post(DATA).then().statusCode(201);
    String pipelines = "/api/v1/namespaces/data/pipelines";
    sandbox()
        .contentType("application/yaml")
        .body(example("pipeline-daily.yaml").getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post(pipelines)
        .then()
        .statusCode(201)
        .body("spec.steps.name", contains("ingest", "clean", "warehouse-up", "load"));
    String run = pipelines + "/clickstream-daily/runs";
    json()
        .body(Map.of("parameters", Map.of("date", "2026-12-01")))
        .post(run)
        .then()
        .statusCode(201);
    eventually(
        () ->
            sandbox()
                .get(run + "/1")
                .then()
                .body("phase", is("FAILED"))
                .body(
                    "steps.find { it.name == 'clean' }.attempts.phase",
                    contains("FAILED", "FAILED"))
                .body("steps.find { it.name == 'load' }.phase", is("SKIPPED"))
                .body("steps.find { it.name == 'warehouse-up' }.phase", is("SUCCEEDED")));
    json()
        .body(example("processing-clean-fixed.json"))
        .put(DATA + "/clickstream-clean")
        .then()
        .statusCode(200);
    json()
        .body(Map.of("revisions", "current"))
        .post(run + "/1/retry")
        .then()
        .statusCode(200)
        .body("attempt", is(2));
    eventually(
        () ->
            sandbox()
                .get(run + "/1")
                .then()
                .body("phase", is("SUCCEEDED"))
                .body("steps.find { it.name == 'ingest' }.attempts.size()", is(1))
                .body("steps.find { it.name == 'clean' }.attempts.revision", contains(1, 1, 2))
                .body("steps.find { it.name == 'load' }.phase", is("SUCCEEDED")));
    sandbox()
        .get(DATA + "/clickstream-ingest/runs")
        .then()
        .body("items.find { it.pipelineRun != null }.args", nullValue())
        .body(
            "items.find { it.pipelineRun != null }.overrides.args",
            contains("--source", "s3://raw/clickstream/2026-12-01", "--target", "/data/staging"));

    // 5. Processing that outgrows a pod: a Spark run (a driver and its executors, through the
    // Spark operator), and a Flink stream scaled and rolled back through the Flink operator, its
    // state carried across by savepoints.
    sandbox()
        .get("/api/v1/info")
        .then()
        .body("engines.workload", contains("spark", "flink"))
        .body("engines.available", contains(true, true));
    yaml(example("processing-spark.yaml"))
        .post(DATA)
        .then()
        .statusCode(201)
        .body("workload", is("spark"));
    json().post(DATA + "/clickstream-sessions/runs").then().statusCode(201);
    eventually(
        () ->
            sandbox()
                .get(DATA + "/clickstream-sessions/runs/1")
                .then()
                .body("phase", is("SUCCEEDED"))
                .body("exitCode", is(0)));
    sandbox()
        .get(DATA + "/clickstream-sessions/runs/1/logs")
        .then()
        .statusCode(200)
        .body(containsString("Processed"));
    sandbox()
        .accept("application/json")
        .get(DATA + "/clickstream-sessions/manifests")
        .then()
        .statusCode(200)
        .body("kind", hasItems("ConfigMap"));

    yaml(example("processing-flink.yaml"))
        .post(DATA)
        .then()
        .statusCode(201)
        .body("workload", is("flink"));
    String stream = DATA + "/clickstream-stream";
    eventually(
        () ->
            sandbox()
                .get(stream)
                .then()
                .body("status.phase", is("READY"))
                .body("status.readyReplicas", is(2)));
    json().body(Map.of("replicas", 4)).put(stream + "/scale").then().statusCode(200);
    eventually(
        () ->
            sandbox()
                .get(stream)
                .then()
                .body("revision", is(1))
                .body("status.phase", is("READY"))
                .body("status.readyReplicas", is(4))
                .body(
                    "status.message",
                    containsString("last savepoint s3://flink/clickstream/savepoints/")));
    json()
        .body(example("processing-flink-update.json"))
        .put(stream)
        .then()
        .statusCode(200)
        .body("revision", is(2));
    eventually(
        () ->
            sandbox()
                .get(stream)
                .then()
                .body("status.phase", is("READY"))
                .body("spec.image", is("flink:1.20.1")));
    json()
        .body(Map.of("toRevision", 1))
        .post(stream + "/rollback")
        .then()
        .statusCode(200)
        .body("revision", is(3));
    eventually(
        () ->
            sandbox()
                .get(stream)
                .then()
                .body("status.phase", is("READY"))
                .body("status.appliedRevision", is(3))
                .body("spec.image", is("flink:1.20"))
                .body("status.readyReplicas", is(4)));
    try (KubernetesClient cluster =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl(System.getProperty(SandboxCluster.URL_PROPERTY))
                    .build())
            .build()) {
      var deployment =
          cluster
              .resources(io.sluice.engine.FlinkDeployment.class)
              .inNamespace("data")
              .withName("clickstream-stream")
              .get();
      org.junit.jupiter.api.Assertions.assertTrue(
          deployment.getStatus().jobStatus.savepointInfo.savepointHistory.size() >= 3,
          "a savepoint for the scale, the update and the rollback");
    }
  }

  private static RequestSpecification yaml(String body) {
    return sandbox()
        .contentType("application/yaml")
        .accept("application/json")
        .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static RequestSpecification json() {
    return sandbox().contentType("application/json");
  }

  /** As the README: the token the sandbox printed and kept in its data directory. */
  private static RequestSpecification sandbox() {
    return io.sluice.support.Api.as(io.sluice.support.Api.sandboxToken());
  }

  private static String example(String name) throws IOException {
    return Files.readString(Path.of("examples", name));
  }
}
