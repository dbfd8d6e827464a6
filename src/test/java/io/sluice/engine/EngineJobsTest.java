package io.sluice.engine;

import static io.sluice.support.Api.createJob;
import static io.sluice.support.Api.createJobOk;
import static io.sluice.support.Api.getJob;
import static io.sluice.support.Api.jobPath;
import static io.sluice.support.Api.request;
import static io.sluice.support.Cluster.eventually;
import static io.sluice.support.Cluster.exists;
import static io.sluice.support.Cluster.gone;
import static io.sluice.support.EngineFixtures.NS;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.EngineFixtures;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spark and Flink jobs end to end against the Kubernetes test server: what Sluice applies, and how
 * the status the operators write flows back (the test writes it, as an operator would). Scale,
 * rollback (by hand and automatic), cancel, lost runs, and an operator that is not installed.
 */
@QuarkusTest
@WithKubernetesTestServer
class EngineJobsTest {
  @Inject KubernetesClient client;
  @Inject Engines engines;
  @Inject io.sluice.reconcile.ReconcileRuntime runtime;

  @io.quarkus.test.kubernetes.client.KubernetesTestServer
  io.quarkus.test.kubernetes.client.KubernetesServer server;

  @BeforeEach
  void operators() {
    EngineFixtures.install(client, engines);
  }

  @AfterEach
  void reinstall() {
    EngineFixtures.install(client, engines);
  }

  private SparkApplication app(String name) {
    return client.resources(SparkApplication.class).inNamespace(NS).withName(name).get();
  }

  private FlinkDeployment flink(String name) {
    return client.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
  }

  private void sparkState(String name, String state, String error) {
    client
        .resources(SparkApplication.class)
        .inNamespace(NS)
        .withName(name)
        .editStatus(
            a -> {
              SparkApplication.Status s =
                  a.getStatus() == null ? new SparkApplication.Status() : a.getStatus();
              s.applicationState = new SparkApplication.ApplicationState(state, error);
              s.lastSubmissionAttemptTime = "2026-12-02T10:00:00Z";
              s.executionAttempts = 1;
              if (state.equals("COMPLETED") || state.equals("FAILED")) {
                s.terminationTime = "2026-12-02T10:01:00Z";
              }
              a.setStatus(s);
              return a;
            });
  }

  private void flinkStatus(String name, Consumer<FlinkDeployment.Status> edit) {
    client
        .resources(FlinkDeployment.class)
        .inNamespace(NS)
        .withName(name)
        .editStatus(
            d -> {
              FlinkDeployment.Status s = new FlinkDeployment.Status();
              s.observedGeneration = d.getMetadata().getGeneration();
              s.jobStatus = new FlinkDeployment.JobStatus();
              edit.accept(s);
              d.setStatus(s);
              return d;
            });
  }

  private static void stable(FlinkDeployment.Status s) {
    s.lifecycleState = "STABLE";
    s.jobStatus.state = "RUNNING";
  }

  private static String runs(String job) {
    return jobPath(NS, job) + "/runs";
  }

  @Test
  void aSparkRunIsASparkApplicationWhoseStateBecomesTheRuns() {
    String job = EngineFixtures.name("pi");
    createJobOk(NS, EngineFixtures.sparkJob(job)).then().body("workload", is("spark"));
    eventually(() -> getJob(NS, job).then().body("status.phase", is("READY")));

    request().post(runs(job)).then().statusCode(201).body("number", is(1));
    SparkApplication app = exists(() -> app(job + "-1"));
    assertEquals(2, app.getSpec().executor.instances);
    assertEquals("spark", app.getSpec().driver.serviceAccount);
    assertEquals("1", app.getMetadata().getLabels().get("sluice.io/run"));
    assertEquals(List.of("100"), app.getSpec().arguments);
    request().get(runs(job) + "/1").then().body("phase", is("PENDING"));

    sparkState(job + "-1", "RUNNING", null);
    eventually(() -> request().get(runs(job) + "/1").then().body("phase", is("RUNNING")));
    sparkState(job + "-1", "COMPLETED", null);
    eventually(
        () ->
            request()
                .get(runs(job) + "/1")
                .then()
                .body("phase", is("SUCCEEDED"))
                .body("exitCode", is(0))
                .body("finishedAt", is("2026-12-02T10:01:00Z")));

    request().body(Map.of("args", List.of("7"))).post(runs(job)).then().statusCode(201);
    SparkApplication second = exists(() -> app(job + "-2"));
    assertEquals(List.of("7"), second.getSpec().arguments, "a run's args replace the arguments");
    sparkState(job + "-2", "FAILED", "driver container failed with ExitCode: 1, Reason: Error");
    eventually(
        () ->
            request()
                .get(runs(job) + "/2")
                .then()
                .body("phase", is("FAILED"))
                .body("reason", is("SparkApplicationFailed"))
                .body("message", containsString("ExitCode: 1")));
  }

  @Test
  void cancellingARunDeletesItsApplicationAndALostOneFailsTheRun() {
    String job = EngineFixtures.name("cancel");
    createJobOk(NS, EngineFixtures.sparkJob(job));
    request().post(runs(job)).then().statusCode(201);
    exists(() -> app(job + "-1"));
    request().post(runs(job) + "/1/cancel").then().statusCode(200).body("phase", is("CANCELLED"));
    gone(() -> app(job + "-1"));

    request().post(runs(job)).then().statusCode(201);
    exists(() -> app(job + "-2"));
    sparkState(job + "-2", "RUNNING", null);
    eventually(() -> request().get(runs(job) + "/2").then().body("phase", is("RUNNING")));
    client.resources(SparkApplication.class).inNamespace(NS).withName(job + "-2").delete();
    request().body(Map.of()).post(runs(job)).then().statusCode(201); // a pass looks again
    eventually(
        () ->
            request()
                .get(runs(job) + "/2")
                .then()
                .body("phase", is("FAILED"))
                .body("reason", is("Lost")));
  }

  @Test
  void scaleSetsTheExecutorsOfLaterRunsWithoutARevision() {
    String job = EngineFixtures.name("scale");
    createJobOk(NS, EngineFixtures.sparkJob(job));
    request().post(runs(job)).then().statusCode(201);
    exists(() -> app(job + "-1"));
    request()
        .body(Map.of("replicas", 6))
        .put(jobPath(NS, job) + "/scale")
        .then()
        .statusCode(200)
        .body("replicas", is(6));
    getJob(NS, job).then().body("revision", is(1));
    request()
        .get(jobPath(NS, job) + "/events")
        .then()
        .body("items.message", hasItem("executors 2 -> 6"));
    request().post(runs(job)).then().statusCode(201);
    assertEquals(6, exists(() -> app(job + "-2")).getSpec().executor.instances);
    assertEquals(2, app(job + "-1").getSpec().executor.instances, "a submitted run keeps its own");
    request()
        .body(Map.of("replicas", 0))
        .put(jobPath(NS, job) + "/scale")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("replicas"));
  }

  @Test
  void aFlinkJobScalesRollsBackAndSuspendsThroughItsFlinkDeployment() {
    String job = EngineFixtures.name("stream");
    createJobOk(NS, EngineFixtures.flinkJob(job));
    FlinkDeployment d = exists(() -> flink(job));
    assertEquals(2, d.getSpec().job.parallelism);
    assertEquals("savepoint", d.getSpec().job.upgradeMode);
    assertEquals(
        "s3://flink/savepoints", d.getSpec().flinkConfiguration.get("state.savepoints.dir"));
    eventually(() -> getJob(NS, job).then().body("status.phase", is("PROGRESSING")));

    flinkStatus(job, EngineJobsTest::stable);
    eventually(
        () ->
            getJob(NS, job)
                .then()
                .body("status.phase", is("READY"))
                .body("status.lastStableRevision", is(1))
                .body("status.readyReplicas", is(2)));

    request().body(Map.of("replicas", 4)).put(jobPath(NS, job) + "/scale").then().statusCode(200);
    eventually(() -> assertEquals(4, flink(job).getSpec().job.parallelism));
    getJob(NS, job).then().body("revision", is(1));

    Map<String, Object> spec = EngineFixtures.flinkSpec();
    spec.put("config", Map.of("stream.properties", "window=30\n"));
    request()
        .body(Map.of("spec", spec))
        .put(jobPath(NS, job))
        .then()
        .statusCode(200)
        .body("revision", is(2));
    eventually(
        () ->
            assertEquals("2", flink(job).getMetadata().getAnnotations().get("sluice.io/revision")));
    assertEquals(4, flink(job).getSpec().job.parallelism, "scale survives a new revision");
    assertFalse(flink(job).getSpec().podTemplate.getSpec().getVolumes().isEmpty());

    request()
        .body(Map.of("toRevision", 1))
        .post(jobPath(NS, job) + "/rollback")
        .then()
        .statusCode(200)
        .body("revision", is(3));
    eventually(
        () -> {
          FlinkDeployment back = flink(job);
          assertEquals("3", back.getMetadata().getAnnotations().get("sluice.io/revision"));
          assertTrue(
              back.getSpec().podTemplate.getSpec().getVolumes() == null
                  || back.getSpec().podTemplate.getSpec().getVolumes().isEmpty(),
              "revision 1 had no config");
          assertEquals(
              "savepoint", back.getSpec().job.upgradeMode, "the state crosses the rollback");
        });

    request().post(jobPath(NS, job) + "/suspend").then().statusCode(200);
    eventually(() -> assertEquals("suspended", flink(job).getSpec().job.state));
    request().post(jobPath(NS, job) + "/resume").then().statusCode(200);
    eventually(() -> assertEquals("running", flink(job).getSpec().job.state));
  }

  @Test
  void aFailedFlinkUpgradeRollsBackAutomatically() {
    String job = EngineFixtures.name("auto");
    Map<String, Object> body = EngineFixtures.flinkJob(job);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) body.get("spec");
    spec.put("rollout", Map.of("progressDeadlineSeconds", 600, "autoRollback", true));
    createJobOk(NS, body);
    exists(() -> flink(job));
    flinkStatus(job, EngineJobsTest::stable);
    eventually(() -> getJob(NS, job).then().body("status.lastStableRevision", is(1)));

    Map<String, Object> broken = new java.util.LinkedHashMap<>(spec);
    broken.put("image", "flink:1.20-broken");
    request().body(Map.of("spec", broken)).put(jobPath(NS, job)).then().statusCode(200);
    eventually(() -> assertEquals("flink:1.20-broken", flink(job).getSpec().image));
    flinkStatus(
        job,
        s -> {
          s.lifecycleState = "FAILED";
          s.jobStatus.state = "FAILED";
          s.error = "Recovery is suppressed by NoRestartBackoffTimeStrategy";
        });
    eventually(
        () -> getJob(NS, job).then().body("revision", is(3)).body("spec.image", is("flink:1.20")));
    request()
        .get(jobPath(NS, job) + "/events")
        .then()
        .body("items.message", hasItem(containsString("rolled back to revision 1")));
    eventually(() -> assertEquals("flink:1.20", flink(job).getSpec().image));
  }

  @Test
  void withoutTheOperatorTheJobWaitsSayingWhichCrdIsMissing() {
    io.sluice.sandbox.SandboxOperators.uninstall(client, Engines.Engine.SPARK);
    engines.refresh();
    request()
        .get("/api/v1/info")
        .then()
        .statusCode(200)
        .body("engines.find { it.workload == 'spark' }.available", is(false))
        .body("engines.find { it.workload == 'flink' }.available", is(true))
        .body(
            "engines.find { it.workload == 'spark' }.crd",
            is("sparkapplications.sparkoperator.k8s.io"));
    String job = EngineFixtures.name("nooperator");
    createJobOk(NS, EngineFixtures.sparkJob(job));
    request().post(runs(job)).then().statusCode(201);
    eventually(
        () ->
            getJob(NS, job)
                .then()
                .body("status.phase", is("PENDING"))
                .body("status.conditions.find { it.type == 'OperatorMissing' }.status", is("True"))
                .body(
                    "status.conditions.find { it.type == 'OperatorMissing' }.message",
                    containsString("sparkapplications.sparkoperator.k8s.io")));
    String id = getJob(NS, job).then().extract().path("id");
    long failures = Db.count("SELECT reconcile_failures FROM jobs WHERE id = ?::uuid", id);
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long later = Db.count("SELECT reconcile_failures FROM jobs WHERE id = ?::uuid", id);
    assertTrue(later - failures <= 3, "backs off, never retries hot: " + (later - failures));
    request().get(runs(job) + "/1").then().body("phase", is("PENDING"));

    EngineFixtures.install(client, engines);
    eventually(
        () ->
            getJob(NS, job)
                .then()
                .body("status.phase", is("READY"))
                .body(
                    "status.conditions.find { it.type == 'OperatorMissing' }.status", is("False")));
    exists(() -> app(job + "-1"));
  }

  @Test
  void aFlinkDeploymentTheServerLostIsRecreatedAfterTheCacheCheck() {
    String job = EngineFixtures.name("lost");
    createJobOk(NS, EngineFixtures.flinkJob(job));
    String before = exists(() -> flink(job)).getMetadata().getUid();
    server.getKubernetesMockServer().reset(); // restored empty, and no watch told
    for (Engines.Engine engine : Engines.Engine.values()) {
      io.sluice.sandbox.SandboxOperators.install(client, engine); // the operators come back
    }
    assertNull(flink(job));
    List<String> relisted = runtime.cache().verify(java.time.Duration.ofSeconds(10));
    assertTrue(relisted.contains("FlinkDeployment"), relisted.toString());
    eventually(
        () -> {
          FlinkDeployment again = flink(job);
          assertTrue(again != null && !before.equals(again.getMetadata().getUid()), "recreated");
        });
  }

  @Test
  void policyCountsEveryExecutorAgainstTheNamespacesTotals() {
    String job = EngineFixtures.name("big");
    Map<String, Object> spec = EngineFixtures.sparkSpec();
    @SuppressWarnings("unchecked")
    Map<String, Object> spark = (Map<String, Object>) spec.get("spark");
    spark.put("executor", Map.of("instances", 20, "cores", 1, "memory", "8g"));
    createJob(EngineFixtures.CAPPED, EngineFixtures.job(job, "spark", spec))
        .then()
        .statusCode(422)
        .body("reason", is("POLICY_VIOLATION"))
        .body("errors.rule", hasItem("maxTotalMemory"))
        .body("errors.message", hasItem(containsString("20 executors")));
    getJob(EngineFixtures.CAPPED, job).then().statusCode(404);

    spark.put("executor", Map.of("instances", 1, "cores", 1, "memory", "20g"));
    createJob(EngineFixtures.CAPPED, EngineFixtures.job(job, "spark", spec))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("spec.spark.executor.memory"))
        .body("errors.rule", hasItem("maxMemory"));

    spark.put("executor", Map.of("instances", 4, "cores", 1, "memory", "8g"));
    createJobOk(EngineFixtures.CAPPED, EngineFixtures.job(job, "spark", spec));
    request()
        .body(Map.of("replicas", 20))
        .put(jobPath(EngineFixtures.CAPPED, job) + "/scale")
        .then()
        .statusCode(422)
        .body("errors.rule", hasItem("maxTotalMemory"));
    request().get(jobPath(EngineFixtures.CAPPED, job) + "/scale").then().body("replicas", is(4));
  }

  @Test
  void aSparkJobIsAPipelineStepLikeAnyBatchJob() {
    String job = EngineFixtures.name("step");
    createJobOk(NS, EngineFixtures.sparkJob(job));
    String pipeline = EngineFixtures.name("p");
    request()
        .body(
            Map.of(
                "name",
                pipeline,
                "spec",
                Map.of("steps", List.of(Map.of("name", "crunch", "job", job)))))
        .post("/api/v1/namespaces/" + NS + "/pipelines")
        .then()
        .statusCode(201);
    request()
        .body(Map.of())
        .post("/api/v1/namespaces/" + NS + "/pipelines/" + pipeline + "/runs")
        .then()
        .statusCode(201);
    SparkApplication app = exists(() -> app(job + "-1"));
    assertNull(app.getStatus());
    sparkState(job + "-1", "COMPLETED", null);
    eventually(
        () ->
            request()
                .get("/api/v1/namespaces/" + NS + "/pipelines/" + pipeline + "/runs/1")
                .then()
                .body("phase", is("SUCCEEDED")));
  }
}
