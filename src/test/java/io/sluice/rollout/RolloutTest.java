package io.sluice.rollout;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.render.Labels;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scale, suspend/resume, rollback and automatic rollback, against the Kubernetes test server. */
@QuarkusTest
@WithKubernetesTestServer
class RolloutTest {
  @Inject KubernetesClient client;

  private final String ns = Fixtures.namespace();

  @Test
  void scaleChangesReplicasWithoutANewRevisionAndSurvivesSpecUpdates() {
    createJobOk(ns, Fixtures.serviceJob("web"));
    exists(() -> deployment("web"));

    request()
        .body(Map.of("replicas", 5))
        .put(scale("web"))
        .then()
        .statusCode(200)
        .body("replicas", is(5))
        .body("source", is("scale"));

    eventually(() -> assertEquals(5, deployment("web").getSpec().getReplicas()));
    getJob(ns, "web")
        .then()
        .body("revision", is(1))
        .body("scale.replicas", is(5))
        .header("ETag", "\"1\"");
    request()
        .get(jobPath(ns, "web") + "/events")
        .then()
        .body("items.action", hasItem("job.scaled"))
        .body("items.find { it.action == 'job.scaled' }.message", is("replicas 2 -> 5"));

    request()
        .body(Map.of("spec", serviceSpec("img:2", 2)))
        .put(jobPath(ns, "web"))
        .then()
        .statusCode(200)
        .body("revision", is(2))
        .body("scale.replicas", is(5));
    eventually(
        () -> {
          Deployment d = deployment("web");
          assertEquals(
              "img:2", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
          assertEquals(
              5,
              d.getSpec().getReplicas(),
              "a spec update that leaves replicas alone keeps the scale");
        });

    request()
        .body(Map.of("spec", serviceSpec("img:2", 3)))
        .put(jobPath(ns, "web"))
        .then()
        .statusCode(200)
        .body("scale", not(hasKey("replicas")));
    eventually(
        () ->
            assertEquals(
                3, deployment("web").getSpec().getReplicas(), "a spec that sets replicas wins"));
  }

  @Test
  void scaleToZeroSuspendsAServiceAndBackRestoresIt() {
    createJobOk(ns, Fixtures.serviceJob("idle"));
    exists(() -> deployment("idle"));

    request()
        .body(Map.of("replicas", 0))
        .put(scale("idle"))
        .then()
        .statusCode(200)
        .body("replicas", is(0));
    eventually(() -> assertEquals(0, deployment("idle").getSpec().getReplicas()));
    eventually(() -> getJob(ns, "idle").then().body("status.phase", is("SUSPENDED")));

    request().body(Map.of("replicas", 2)).put(scale("idle")).then().statusCode(200);
    eventually(() -> assertEquals(2, deployment("idle").getSpec().getReplicas()));
    eventually(() -> getJob(ns, "idle").then().body("status.phase", is("PROGRESSING")));
  }

  @Test
  void scaleOutsideBoundsOrMalformedIsRefused() {
    createJobOk(ns, Fixtures.serviceJob("bounded"));
    request()
        .body(Map.of("replicas", -1))
        .put(scale("bounded"))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("replicas"));
    request().body(Map.of("replicas", 101)).put(scale("bounded")).then().statusCode(422);
    request().body(Map.of()).put(scale("bounded")).then().statusCode(422);
    request().body("{\"replicas\": \"3\"}").put(scale("bounded")).then().statusCode(400);
    request()
        .header("If-Match", "\"9\"")
        .body(Map.of("replicas", 3))
        .put(scale("bounded"))
        .then()
        .statusCode(412);
    request()
        .get(scale("bounded"))
        .then()
        .statusCode(200)
        .body("replicas", is(2))
        .body("source", is("spec"));
    request().get(scale("missing")).then().statusCode(404);
  }

  @Test
  void autoscalingRendersAnHorizontalPodAutoscalerAndManualScaleIsRefused() {
    Map<String, Object> body = Fixtures.serviceJob("elastic");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) body.get("spec");
    spec.remove("replicas");
    spec.put(
        "autoscaling",
        Map.of("minReplicas", 2, "maxReplicas", 8, "targetCPUUtilizationPercentage", 70));
    createJobOk(ns, body);

    HorizontalPodAutoscaler hpa =
        exists(
            () ->
                client
                    .autoscaling()
                    .v2()
                    .horizontalPodAutoscalers()
                    .inNamespace(ns)
                    .withName("elastic")
                    .get());
    assertEquals(2, hpa.getSpec().getMinReplicas());
    assertEquals(8, hpa.getSpec().getMaxReplicas());
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals(
        70, hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization());
    assertNull(deployment("elastic").getSpec().getReplicas(), "the autoscaler owns the count");

    request()
        .body(Map.of("replicas", 4))
        .put(scale("elastic"))
        .then()
        .statusCode(409)
        .body("reason", is("AUTOSCALED"))
        .body("detail", containsString("spec.autoscaling"));
    request().get(scale("elastic")).then().body("source", is("autoscaler"));
  }

  @Test
  void suspendAndResumeEachWorkloadKind() {
    createJobOk(ns, Fixtures.serviceJob("svc"));
    createJobOk(ns, Fixtures.statefulJob("db"));
    createJobOk(ns, Fixtures.scheduledJob("cron", "0 3 * * *"));
    exists(() -> deployment("svc"));
    request().body(Map.of("replicas", 3)).put(scale("svc")).then().statusCode(200);
    exists(() -> client.apps().statefulSets().inNamespace(ns).withName("db").get());
    exists(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("cron").get());

    for (String job : List.of("svc", "db", "cron")) {
      request()
          .post(jobPath(ns, job) + "/suspend")
          .then()
          .statusCode(200)
          .body("scale.suspended", is(true));
    }
    eventually(
        () -> {
          assertEquals(0, deployment("svc").getSpec().getReplicas());
          assertEquals(
              0,
              client
                  .apps()
                  .statefulSets()
                  .inNamespace(ns)
                  .withName("db")
                  .get()
                  .getSpec()
                  .getReplicas());
          assertTrue(
              client
                  .batch()
                  .v1()
                  .cronjobs()
                  .inNamespace(ns)
                  .withName("cron")
                  .get()
                  .getSpec()
                  .getSuspend());
        });
    eventually(() -> getJob(ns, "cron").then().body("status.phase", is("SUSPENDED")));
    request().get(scale("svc")).then().body("replicas", is(0)).body("source", is("suspended"));

    for (String job : List.of("svc", "db", "cron")) {
      request()
          .post(jobPath(ns, job) + "/resume")
          .then()
          .statusCode(200)
          .body("scale.suspended", is(false));
    }
    eventually(
        () -> {
          assertEquals(
              3, deployment("svc").getSpec().getReplicas(), "resume restores the previous count");
          assertEquals(
              1,
              client
                  .apps()
                  .statefulSets()
                  .inNamespace(ns)
                  .withName("db")
                  .get()
                  .getSpec()
                  .getReplicas());
          assertFalse(
              client
                  .batch()
                  .v1()
                  .cronjobs()
                  .inNamespace(ns)
                  .withName("cron")
                  .get()
                  .getSpec()
                  .getSuspend());
        });
  }

  @Test
  void suspendingABatchJobPausesItsRunAndRefusesNewOnesAndScaleSetsParallelism() {
    createJobOk(ns, Fixtures.batchJob("etl"));
    request().post(jobPath(ns, "etl") + "/runs").then().statusCode(201);
    exists(() -> client.batch().v1().jobs().inNamespace(ns).withName("etl-1").get());

    request().body(Map.of("replicas", 4)).put(scale("etl")).then().statusCode(200);
    eventually(
        () ->
            assertEquals(
                4,
                client
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns)
                    .withName("etl-1")
                    .get()
                    .getSpec()
                    .getParallelism()));

    request().post(jobPath(ns, "etl") + "/suspend").then().statusCode(200);
    eventually(
        () ->
            assertTrue(
                client
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns)
                    .withName("etl-1")
                    .get()
                    .getSpec()
                    .getSuspend()));
    request()
        .post(jobPath(ns, "etl") + "/runs")
        .then()
        .statusCode(409)
        .body("reason", is("SUSPENDED"));

    request().post(jobPath(ns, "etl") + "/resume").then().statusCode(200);
    eventually(
        () ->
            assertFalse(
                client
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns)
                    .withName("etl-1")
                    .get()
                    .getSpec()
                    .getSuspend()));
    request().post(jobPath(ns, "etl") + "/runs").then().statusCode(201);
    assertEquals(
        4,
        exists(() -> client.batch().v1().jobs().inNamespace(ns).withName("etl-2").get())
            .getSpec()
            .getParallelism());
  }

  @Test
  void rollbackWritesANewRevisionAndRestoresTheOldTemplateAndConfigMap() {
    Map<String, Object> v1 =
        Fixtures.with(Fixtures.serviceJob("api"), "spec.config", Map.of("mode", "v1"));
    createJobOk(ns, v1);
    Deployment d1 = exists(() -> deployment("api"));
    String config1 = configMapOf(d1);
    update("api", "img:2", Map.of("mode", "v2"));
    update("api", "img:3", Map.of("mode", "v3"));
    eventually(() -> getJob(ns, "api").then().body("status.appliedRevision", is(3)));

    request()
        .post(jobPath(ns, "api") + "/rollback")
        .then()
        .statusCode(200)
        .body("revision", is(4))
        .body("spec.image", is("img:2"))
        .header("ETag", notNullValue());
    eventually(
        () -> {
          Deployment d = deployment("api");
          assertEquals(
              "img:2", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
          assertEquals("4", d.getMetadata().getAnnotations().get(Labels.REVISION_ANNOTATION));
        });

    request()
        .body(Map.of("toRevision", 1, "changeCause", "v1 was the last good one"))
        .post(jobPath(ns, "api") + "/rollback")
        .then()
        .statusCode(200)
        .body("revision", is(5))
        .body("spec.config.mode", is("v1"));
    eventually(
        () -> {
          Deployment d = deployment("api");
          assertEquals(
              d1.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
              d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
          assertEquals(config1, configMapOf(d), "the ConfigMap of revision 1 is back");
          assertNotNull(client.configMaps().inNamespace(ns).withName(config1).get());
        });

    request()
        .get(jobPath(ns, "api") + "/revisions")
        .then()
        .body("items.revision", contains(5, 4, 3, 2, 1))
        .body("items[0].rollbackOf", is(1))
        .body("items[0].changeCause", is("v1 was the last good one"))
        .body("items[1].rollbackOf", is(2))
        .body("items[2].rollbackOf", nullValue());
    request()
        .get(jobPath(ns, "api") + "/events")
        .then()
        .body("items.action", hasItem("job.rolled-back"));
  }

  @Test
  void rollbackRefusalsSayWhy() {
    createJobOk(ns, Fixtures.serviceJob("solo"));
    request()
        .post(jobPath(ns, "solo") + "/rollback")
        .then()
        .statusCode(409)
        .body("reason", is("NOTHING_TO_ROLL_BACK"))
        .body("detail", containsString("nothing to roll back to"));
    update("solo", "img:2", Map.of());
    request()
        .body(Map.of("toRevision", 2))
        .post(jobPath(ns, "solo") + "/rollback")
        .then()
        .statusCode(409)
        .body("detail", containsString("current revision"));
    request()
        .body(Map.of("toRevision", 7))
        .post(jobPath(ns, "solo") + "/rollback")
        .then()
        .statusCode(404)
        .body("reason", is("REVISION_NOT_FOUND"));
    request()
        .body(Map.of("toRevision", 0))
        .post(jobPath(ns, "solo") + "/rollback")
        .then()
        .statusCode(422);
    request()
        .header("If-Match", "\"0\"")
        .post(jobPath(ns, "solo") + "/rollback")
        .then()
        .statusCode(412);
    request().post(jobPath(ns, "ghost") + "/rollback").then().statusCode(404);
    getJob(ns, "solo").then().body("revision", is(2));
  }

  @Test
  void diffShowsTheChangedFields() {
    createJobOk(ns, Fixtures.serviceJob("diffy"));
    update("diffy", "img:2", Map.of("k", "v"));

    request()
        .get(jobPath(ns, "diffy") + "/revisions/1/diff/2")
        .then()
        .statusCode(200)
        .body("from", is(1))
        .body("to", is(2))
        .body("changes.find { it.path == 'spec.image' }.op", is("changed"))
        .body("changes.find { it.path == 'spec.image' }.from", is("ghcr.io/acme/enrich:2.1.0"))
        .body("changes.find { it.path == 'spec.image' }.to", is("img:2"))
        .body("changes.find { it.path == 'spec.config.k' }.op", is("added"))
        .body("changes.find { it.path == 'spec.ports[0].name' }.op", is("removed"));
    request()
        .get(jobPath(ns, "diffy") + "/revisions/2/diff/2")
        .then()
        .statusCode(200)
        .body("changes", empty());
    request().get(jobPath(ns, "diffy") + "/revisions/1/diff/9").then().statusCode(404);
    request().get(jobPath(ns, "diffy") + "/revisions/a/diff/2").then().statusCode(400);
  }

  @Test
  void lastStableRevisionMovesOnlyWhenARolloutIsReady() {
    createJobOk(ns, Fixtures.serviceJob("steady"));
    exists(() -> deployment("steady"));
    eventually(() -> getJob(ns, "steady").then().body("status.appliedRevision", is(1)));
    getJob(ns, "steady").then().body("status", not(hasKey("lastStableRevision")));

    reportRolledOut(client, ns, "steady", 2);
    eventually(
        () ->
            getJob(ns, "steady")
                .then()
                .body("status.lastStableRevision", is(1))
                .body("status.phase", is("READY")));

    update("steady", "img:2", Map.of());
    eventually(() -> getJob(ns, "steady").then().body("status.appliedRevision", is(2)));
    markRollingOut("steady", 2);
    getJob(ns, "steady").then().body("status.lastStableRevision", is(1));

    reportRolledOut(client, ns, "steady", 2);
    eventually(() -> getJob(ns, "steady").then().body("status.lastStableRevision", is(2)));
  }

  @Test
  void lastStableRevisionOfABatchJobIsTheNewestWhoseLastRunSucceeded() {
    createJobOk(ns, Fixtures.batchJob("nightly"));
    request().post(jobPath(ns, "nightly") + "/runs").then().statusCode(201);
    exists(() -> client.batch().v1().jobs().inNamespace(ns).withName("nightly-1").get());
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName("nightly-1")
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .withSucceeded(1)
                      .addNewCondition()
                      .withType("Complete")
                      .withStatus("True")
                      .endCondition()
                      .build());
              return j;
            });
    eventually(
        () ->
            request()
                .get(jobPath(ns, "nightly") + "/runs/1")
                .then()
                .body("phase", is("SUCCEEDED")));
    eventually(
        () ->
            getJob(ns, "nightly")
                .then()
                .log()
                .ifValidationFails()
                .body("status.lastStableRevision", is(1)));
  }

  @Test
  void aRolloutThatMissesItsDeadlineIsRolledBackOnceAndNeverAgain() {
    Map<String, Object> body = Fixtures.serviceJob("guarded");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) body.get("spec");
    spec.put("rollout", Map.of("progressDeadlineSeconds", 2, "autoRollback", true));
    createJobOk(ns, body);
    exists(() -> deployment("guarded"));
    reportRolledOut(client, ns, "guarded", 2);
    eventually(() -> getJob(ns, "guarded").then().body("status.lastStableRevision", is(1)));

    spec.put("image", "ghcr.io/acme/enrich:broken");
    request()
        .body(Map.of("spec", spec))
        .put(jobPath(ns, "guarded"))
        .then()
        .statusCode(200)
        .body("revision", is(2));
    eventually(() -> getJob(ns, "guarded").then().body("status.appliedRevision", is(2)));
    markRollingOut("guarded", 2);

    eventually(
        () ->
            getJob(ns, "guarded")
                .then()
                .body("revision", is(3))
                .body("spec.image", is("ghcr.io/acme/enrich:2.1.0")));
    request()
        .get(jobPath(ns, "guarded") + "/revisions/3")
        .then()
        .body("rollbackOf", is(1))
        .body("automatic", is(true))
        .body("createdBy", is("sluice"))
        .body("changeCause", containsString("did not become ready within 2s"));
    request()
        .get(jobPath(ns, "guarded") + "/events")
        .then()
        .body("items.action", hasItem("job.auto-rolled-back"));
    eventually(
        () ->
            assertEquals(
                "ghcr.io/acme/enrich:2.1.0",
                deployment("guarded")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()));

    // Revision 3 never becomes ready either: it is an automatic rollback, so it stays.
    markRollingOut("guarded", 2);
    sleep(4000);
    getJob(ns, "guarded").then().body("revision", is(3));
  }

  private String scale(String job) {
    return jobPath(ns, job) + "/scale";
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static String configMapOf(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getConfigMap() != null)
        .findFirst()
        .orElseThrow()
        .getConfigMap()
        .getName();
  }

  private static Map<String, Object> serviceSpec(String image, int replicas) {
    return Map.of(
        "image",
        image,
        "replicas",
        replicas,
        "ports",
        List.of(Map.of("name", "http", "containerPort", 8080)));
  }

  @Test
  void aOneReplicaRolloutWhoseSurgedPodFailsIsNotStableAndIsRolledBack() {
    Map<String, Object> body = Fixtures.serviceJob("single");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) body.get("spec");
    spec.put("replicas", 1);
    spec.put("rollout", Map.of("progressDeadlineSeconds", 2, "autoRollback", true));
    createJobOk(ns, body);
    exists(() -> deployment("single"));
    reportRolledOut(client, ns, "single", 1);
    eventually(() -> getJob(ns, "single").then().body("status.lastStableRevision", is(1)));

    spec.put("image", "ghcr.io/acme/enrich:broken");
    request().body(Map.of("spec", spec)).put(jobPath(ns, "single")).then().statusCode(200);
    eventually(() -> getJob(ns, "single").then().body("status.appliedRevision", is(2)));
    // 2 pods, 1 updated, 1 ready: the ready one is the old one, so this is not READY.
    markRollingOut("single", 1);
    eventually(
        () ->
            getJob(ns, "single")
                .then()
                .body("status.phase", is("PROGRESSING"))
                .body("status.lastStableRevision", is(1)));
    eventually(
        () ->
            getJob(ns, "single")
                .then()
                .body("revision", is(3))
                .body("spec.image", is("ghcr.io/acme/enrich:2.1.0")));
  }

  @Test
  void theControllersProgressDeadlineExceededRollsBackWithoutWaitingForSluicesOwn() {
    Map<String, Object> body = Fixtures.serviceJob("impatient");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) body.get("spec");
    spec.put("rollout", Map.of("progressDeadlineSeconds", 3600, "autoRollback", true));
    createJobOk(ns, body);
    exists(() -> deployment("impatient"));
    reportRolledOut(client, ns, "impatient", 2);
    eventually(() -> getJob(ns, "impatient").then().body("status.lastStableRevision", is(1)));

    spec.put("image", "ghcr.io/acme/enrich:broken");
    request().body(Map.of("spec", spec)).put(jobPath(ns, "impatient")).then().statusCode(200);
    eventually(() -> getJob(ns, "impatient").then().body("status.appliedRevision", is(2)));
    markRollingOut("impatient", 2, "ProgressDeadlineExceeded");

    eventually(() -> getJob(ns, "impatient").then().body("revision", is(3)));
    request()
        .get(jobPath(ns, "impatient") + "/revisions/3")
        .then()
        .body("automatic", is(true))
        .body("changeCause", containsString("ProgressDeadlineExceeded"));
  }

  private void update(String job, String image, Map<String, String> config) {
    Response r =
        request()
            .body(Map.of("spec", Map.of("image", image, "replicas", 2, "config", config)))
            .put(jobPath(ns, job));
    r.then().statusCode(200);
  }

  /**
   * As the Deployment controller reports a rolling update whose surged new pod never becomes ready:
   * the old pods are all still ready and available, one new pod is updated but not ready.
   */
  private void markRollingOut(String name, int replicas) {
    markRollingOut(name, replicas, null);
  }

  private void markRollingOut(String name, int replicas, String reason) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            d -> {
              DeploymentStatusBuilder status =
                  new DeploymentStatusBuilder()
                      .withReplicas(replicas + 1)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .withUpdatedReplicas(1)
                      .withUnavailableReplicas(1)
                      .withObservedGeneration(d.getMetadata().getGeneration());
              if (reason != null) {
                status
                    .addNewCondition()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason(reason)
                    .withMessage("ReplicaSet has timed out progressing.")
                    .endCondition();
              }
              d.setStatus(status.build());
              return d;
            });
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
