package io.sluice.run;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.render.Labels;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs of batch jobs, driven through their lifecycle by patching the test server's objects. */
@QuarkusTest
@WithKubernetesTestServer
class RunTest {
  @Inject KubernetesClient client;
  @KubernetesTestServer KubernetesServer server;

  private final String ns = Fixtures.namespace();

  private String runs(String job) {
    return jobPath(ns, job) + "/runs";
  }

  /** Runs of the job whose Kubernetes Job Sluice has recorded as created. */
  private static long submittedRuns(String jobId) {
    return io.sluice.support.Db.count(
        "select count(*) from runs where job_id = ? and submitted_at is not null",
        java.util.UUID.fromString(jobId));
  }

  @Test
  void overridesReachTheJobByteForByteWhateverCharactersTheyHold() {
    createJobOk(ns, Fixtures.batchJob("quoted"));
    // The reconciler reads open runs' overrides back from PostgreSQL as JSON inside JSON.
    List<String> args =
        List.of("--where=name = \"o'brien\"", "C:\\tmp\\x", "ünï 🚀", "{\"a\":[1]}");
    String multiline = "line one\nline \"two\"\t\\end";
    request()
        .body(Map.of("args", args, "env", List.of(Map.of("name", "NOTE", "value", multiline))))
        .post(runs("quoted"))
        .then()
        .statusCode(201);

    var container =
        exists(() -> k8sJob("quoted-1")).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(args, container.getArgs());
    assertTrue(
        container.getEnv().stream()
            .anyMatch(e -> e.getName().equals("NOTE") && e.getValue().equals(multiline)),
        container.getEnv().toString());
  }

  @Test
  void aRunBecomesAKubernetesJobWithTheRevisionsSpecAndItsOverrides() {
    String id = createJobOk(ns, Fixtures.batchJob("ingest")).path("id");

    Response run =
        request()
            .body(
                Map.of(
                    "args",
                    List.of("--date", "2026-11-26"),
                    "env",
                    List.of(Map.of("name", "MODE", "value", "backfill"))))
            .post(runs("ingest"));
    run.then()
        .statusCode(201)
        .header("Location", endsWith(runs("ingest") + "/1"))
        .body("number", is(1))
        .body("revision", is(1))
        .body("phase", is("PENDING"))
        .body("kubernetesJob", is("ingest-1"))
        .body("trigger", is("manual"))
        .body("overrides.args", contains("--date", "2026-11-26"));

    Job job = exists(() -> k8sJob("ingest-1"));
    assertEquals("1", job.getMetadata().getLabels().get(Labels.RUN));
    assertEquals(id, job.getMetadata().getLabels().get(Labels.JOB_ID));
    assertEquals(3, job.getSpec().getBackoffLimit());
    assertEquals(1, job.getSpec().getParallelism());
    var pod = job.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals(List.of("--date", "2026-11-26"), pod.getContainers().get(0).getArgs());
    assertTrue(
        pod.getContainers().get(0).getEnv().stream()
            .anyMatch(e -> e.getName().equals("MODE") && e.getValue().equals("backfill")));
    assertTrue(
        pod.getContainers().get(0).getEnv().stream()
            .anyMatch(e -> e.getName().equals("SLUICE_RUN") && e.getValue().equals("1")));
    assertEquals(
        "ingest.staging",
        pod.getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .findFirst()
            .orElseThrow()
            .getPersistentVolumeClaim()
            .getClaimName());
    assertEquals(true, pod.getSecurityContext().getRunAsNonRoot());
  }

  @Test
  void runPhasesFollowTheKubernetesJobAndAreRecordedAsEvents() {
    createJobOk(ns, Fixtures.batchJob("daily"));
    request().post(runs("daily")).then().statusCode(201);
    exists(() -> k8sJob("daily-1"));

    setStatus(
        "daily-1",
        new JobStatusBuilder().withActive(1).withStartTime("2026-11-27T01:00:00Z").build());
    eventually(
        () ->
            request()
                .get(runs("daily") + "/1")
                .then()
                .body("phase", is("RUNNING"))
                .body("startedAt", startsWith("2026-11-27T01:00"))
                .body("attempts", is(1)));

    setStatus(
        "daily-1",
        new JobStatusBuilder()
            .withSucceeded(1)
            .withStartTime("2026-11-27T01:00:00Z")
            .withCompletionTime("2026-11-27T01:05:00Z")
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    eventually(
        () ->
            request()
                .get(runs("daily") + "/1")
                .then()
                .body("phase", is("SUCCEEDED"))
                .body("finishedAt", startsWith("2026-11-27T01:05"))
                .body("exitCode", is(0)));
    request()
        .get(jobPath(ns, "daily") + "/events")
        .then()
        .body("items.action", hasItems("run.created", "run.started", "run.succeeded"));
  }

  @Test
  void aFailedRunRecordsItsReasonAndExitCodeAndNeverChangesAgain() {
    String id = createJobOk(ns, Fixtures.batchJob("crashy")).path("id");
    request().post(runs("crashy")).then().statusCode(201);
    exists(() -> k8sJob("crashy-1"));
    Pod pod =
        client
            .pods()
            .inNamespace(ns)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("crashy-1-abcde")
                    .withNamespace(ns)
                    .addToLabels(Labels.MANAGED_BY, "sluice")
                    .addToLabels(Labels.JOB_ID, id)
                    .addToLabels(Labels.RUN, "1")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("x")
                    .endContainer()
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Failed")
                    .withContainerStatuses(
                        new ContainerStatusBuilder()
                            .withName("main")
                            .withNewState()
                            .withNewTerminated()
                            .withExitCode(137)
                            .withReason("OOMKilled")
                            .endTerminated()
                            .endState()
                            .build())
                    .endStatus()
                    .build())
            .create();
    assertNotNull(pod);

    setStatus(
        "crashy-1",
        new JobStatusBuilder()
            .withFailed(4)
            .withStartTime("2026-11-27T01:00:00Z")
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .build())
            .build());

    eventually(
        () ->
            request()
                .get(runs("crashy") + "/1")
                .then()
                .body("phase", is("FAILED"))
                .body("reason", is("BackoffLimitExceeded"))
                .body("exitCode", is(137))
                .body("message", containsString("OOMKilled"))
                .body("attempts", is(4)));

    setStatus(
        "crashy-1",
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    request()
        .post(runs("crashy") + "/1/cancel")
        .then()
        .statusCode(409)
        .body("reason", is("RUN_FINISHED"));
    sleepABit();
    request().get(runs("crashy") + "/1").then().body("phase", is("FAILED"));
  }

  @Test
  void cancelDeletesTheKubernetesJobAndEndsTheRunCancelled() {
    createJobOk(ns, Fixtures.batchJob("stoppable"));
    request().post(runs("stoppable")).then().statusCode(201);
    exists(() -> k8sJob("stoppable-1"));

    request()
        .post(runs("stoppable") + "/1/cancel")
        .then()
        .statusCode(200)
        .body("phase", is("CANCELLED"))
        .body("reason", is("Cancelled"));

    gone(() -> k8sJob("stoppable-1"));
    request().get(runs("stoppable") + "/1").then().body("phase", is("CANCELLED"));
    request().post(runs("stoppable") + "/1/cancel").then().statusCode(409);
  }

  @Test
  void aRunWhoseKubernetesJobVanishesIsMarkedLost() {
    createJobOk(ns, Fixtures.batchJob("fragile"));
    request().post(runs("fragile")).then().statusCode(201);
    exists(() -> k8sJob("fragile-1"));
    setStatus(
        "fragile-1",
        new JobStatusBuilder().withActive(1).withStartTime("2026-11-27T01:00:00Z").build());
    eventually(() -> request().get(runs("fragile") + "/1").then().body("phase", is("RUNNING")));

    client.batch().v1().jobs().inNamespace(ns).withName("fragile-1").delete();

    eventually(
        () ->
            request()
                .get(runs("fragile") + "/1")
                .then()
                .body("phase", is("FAILED"))
                .body("reason", is("Lost")));
    assertNull(k8sJob("fragile-1"), "a lost run is not silently restarted");
  }

  @Test
  void jobsThatACronJobStartsAreRecordedAsScheduledRuns() {
    String id = createJobOk(ns, Fixtures.scheduledJob("hourly", "@hourly")).path("id");
    var cron =
        exists(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("hourly").get());

    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("hourly-29412345")
                .withNamespace(ns)
                .withLabels(cron.getSpec().getJobTemplate().getMetadata().getLabels())
                .withAnnotations(cron.getSpec().getJobTemplate().getMetadata().getAnnotations())
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("CronJob")
                        .withName("hourly")
                        .withUid(cron.getMetadata().getUid())
                        .build())
                .endMetadata()
                .withSpec(cron.getSpec().getJobTemplate().getSpec())
                .withNewStatus()
                .withActive(1)
                .withStartTime("2026-11-27T02:00:00Z")
                .endStatus()
                .build())
        .create();

    eventually(
        () ->
            request()
                .get(runs("hourly"))
                .then()
                .body("items", hasSize(1))
                .body("items[0].trigger", is("schedule"))
                .body("items[0].kubernetesJob", is("hourly-29412345"))
                .body("items[0].phase", is("RUNNING")));
    assertNotNull(id);
  }

  @Test
  void logsComeFromTheRunsNewestPod() {
    String id = createJobOk(ns, Fixtures.batchJob("chatty")).path("id");
    request().post(runs("chatty")).then().statusCode(201);
    request()
        .get(runs("chatty") + "/1/logs")
        .then()
        .statusCode(409)
        .body("reason", is("NO_POD_YET"));
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("chatty-1-xyz")
                .withNamespace(ns)
                .withCreationTimestamp("2026-11-27T01:00:00Z")
                .addToLabels(Labels.MANAGED_BY, "sluice")
                .addToLabels(Labels.JOB_ID, id)
                .addToLabels(Labels.RUN, "1")
                .addToLabels(Labels.KUBERNETES_JOB_NAME, "chatty-1") // as the Job controller does
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + ns + "/pods/chatty-1-xyz/log?pretty=false&container=main")
        .andReturn(200, "reading s3://raw/events\n500 rows written\n")
        .always();

    String logs =
        request()
            .accept("text/plain")
            .get(runs("chatty") + "/1/logs")
            .then()
            .statusCode(200)
            .contentType(startsWith("text/plain"))
            .extract()
            .asString();
    assertTrue(logs.contains("500 rows written"), logs);
  }

  @Test
  void runsQueuedTogetherAreEachSubmittedOnceEvenWhenOneCreateFails() {
    String id = createJobOk(ns, Fixtures.batchJob("burst")).path("id");
    eventually(() -> getJob(ns, "burst").then().body("status.phase", is("READY")));
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/" + ns + "/jobs")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd timeout\"}")
        .once();

    for (int i = 0; i < 5; i++) {
      request().post(runs("burst")).then().statusCode(201);
    }

    eventually(() -> assertEquals(5, submittedRuns(id)));
    List<String> names =
        client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
            .map(j -> j.getMetadata().getName())
            .sorted()
            .toList();
    assertEquals(List.of("burst-1", "burst-2", "burst-3", "burst-4", "burst-5"), names);
    request()
        .get(jobPath(ns, "burst") + "/events")
        .then()
        .body("items.action", hasItem("job.apply-failed"));
  }

  @Test
  void aJobCreatedBeforeACrashIsFoundNotDuplicated() {
    String id = createJobOk(ns, Fixtures.batchJob("resume")).path("id");
    eventually(() -> getJob(ns, "resume").then().body("status.phase", is("READY")));
    // As if a previous Sluice created run 1's Job and died before recording it.
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("resume-1")
                .withNamespace(ns)
                .addToLabels(Labels.MANAGED_BY, "sluice")
                .addToLabels(Labels.JOB_ID, id)
                .addToLabels(Labels.RUN, "1")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("x")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    request().post(runs("resume")).then().statusCode(201);

    eventually(() -> assertEquals(1, submittedRuns(id)));
    assertEquals(1, client.batch().v1().jobs().inNamespace(ns).list().getItems().size());
  }

  @Test
  void aJobOfTheSameNameThatSluiceDoesNotOwnBlocksTheRun() {
    createJobOk(ns, Fixtures.batchJob("squatted"));
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("squatted-1")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("someone/else")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    request().post(runs("squatted")).then().statusCode(201);

    eventually(
        () ->
            getJob(ns, "squatted")
                .then()
                .body("status.phase", is("DEGRADED"))
                .body(
                    "status.conditions.find { it.type == 'Applied' }.reason", is("ForeignObject")));
    assertEquals(
        "someone/else",
        k8sJob("squatted-1").getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
  }

  @Test
  void aMalformedObjectDoesNotStopStatusForTheOthers() {
    String id = createJobOk(ns, Fixtures.batchJob("sturdy")).path("id");
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("sturdy-garbage")
                .withNamespace(ns)
                .addToLabels(Labels.MANAGED_BY, "sluice")
                .addToLabels(Labels.JOB_ID, id)
                .addToLabels(Labels.RUN, "not-a-number")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("x")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    request().post(runs("sturdy")).then().statusCode(201);
    exists(() -> k8sJob("sturdy-1"));

    setStatus(
        "sturdy-1",
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());

    eventually(() -> request().get(runs("sturdy") + "/1").then().body("phase", is("SUCCEEDED")));
    getJob(ns, "sturdy").then().body("status.phase", is("READY"));
  }

  @Test
  void serviceJobsHaveNoRuns() {
    createJobOk(ns, Fixtures.serviceJob("api"));
    request().post(runs("api")).then().statusCode(409).body("reason", is("NOT_RUNNABLE"));
  }

  @Test
  void runsAreListedNewestFirstAndPaged() {
    createJobOk(ns, Fixtures.batchJob("many"));
    for (int i = 0; i < 3; i++) {
      request().post(runs("many")).then().statusCode(201);
    }
    Response first = request().queryParam("limit", 2).get(runs("many"));
    first.then().statusCode(200).body("items.number", contains(3, 2));
    request()
        .queryParam("cursor", (String) first.path("nextCursor"))
        .get(runs("many"))
        .then()
        .body("items.number", contains(1))
        .body("nextCursor", nullValue());
    request().get(runs("many") + "/9").then().statusCode(404).body("reason", is("RUN_NOT_FOUND"));
    request().get(runs("many") + "/x").then().statusCode(400);
    request().get(runs("many") + "?phase=DONE").then().statusCode(400);
    request().get(jobPath(ns, "nope") + "/runs").then().statusCode(404);
  }

  @Test
  void badOverridesAreRefusedAndStoreNothing() {
    createJobOk(ns, Fixtures.batchJob("strict"));
    request()
        .body(Map.of("env", List.of(Map.of("name", "SLUICE_RUN", "value", "9"))))
        .post(runs("strict"))
        .then()
        .statusCode(422);
    request().body(Map.of("image", "evil:latest")).post(runs("strict")).then().statusCode(400);
    request().get(runs("strict")).then().body("items", empty());
  }

  private Job k8sJob(String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private void setStatus(String name, io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            j -> {
              j.setStatus(status);
              return j;
            });
  }

  private static void sleepABit() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
