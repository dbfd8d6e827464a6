package io.sluice.sandbox;

import static io.sluice.support.Cluster.eventually;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.run.KeptLogs;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each way the sandbox now fails as a cluster does reaches the run's or job's status in plain words
 * and structured, and logs outlive pods and follow running ones — through the API, as a user sees
 * it, in sandbox mode (simulated cluster and embedded PostgreSQL).
 */
@QuarkusTest
@TestProfile(FailureModesTest.SlowPods.class)
class FailureModesTest {

  /** Sandbox mode whose batch pods run for three seconds, long enough to follow one. */
  public static class SlowPods implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        return Map.of(
            "sluice.sandbox.enabled", "true",
            "sluice.sandbox.data-dir", Files.createTempDirectory("sluice-failures-test").toString(),
            "sluice.sandbox.pod-start-delay", "300ms",
            "sluice.sandbox.run-duration", "3s");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  @Inject KeptLogs kept;

  private final String ns = "f" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aContainerKilledForMemoryFailsItsRunWithOomKilledAndExitCode137() {
    batch(
        "loader", Map.of("image", "ghcr.io/acme/oom-loader:1", "batch", Map.of("backoffLimit", 0)));
    int run = startRun("loader");
    eventually(
        () ->
            sandbox()
                .get(jobs() + "/loader/runs/" + run)
                .then()
                .body("phase", is("FAILED"))
                .body("exitCode", is(137))
                .body("message", containsString("OOMKilled"))
                .body("podIssues[0].reason", is("OOMKilled"))
                .body("podIssues[0].exitCode", is(137)));
  }

  @Test
  void anUnpullableImageSaysSoOnTheRunWhileItWaits() {
    batch("puller", Map.of("image", "ghcr.io/acme/unpullable:1"));
    int run = startRun("puller");
    eventually(
        () -> {
          Map<String, Object> got =
              sandbox().get(jobs() + "/puller/runs/" + run).then().extract().as(Map.class);
          assertTrue(
              java.util.Arrays.asList("PENDING", "RUNNING").contains(got.get("phase")),
              got.toString());
          assertTrue(
              java.util.Arrays.asList("ErrImagePull", "ImagePullBackOff")
                  .contains(got.get("reason")),
              got.toString());
          assertTrue(
              String.valueOf(got.get("message")).contains("ghcr.io/acme/unpullable:1"),
              got.toString());
        });
    sandbox()
        .get(jobs() + "/puller/runs/" + run + "/logs")
        .then()
        .statusCode(409)
        .body("detail", containsString("waiting to start"));
  }

  @Test
  void requestsLargerThanTheNodeAreUnschedulable() {
    batch(
        "huge",
        Map.of(
            "image",
            "ghcr.io/acme/x:1",
            "resources",
            Map.of("requests", Map.of("memory", "64Gi"), "limits", Map.of("memory", "64Gi"))));
    int run = startRun("huge");
    eventually(
        () ->
            sandbox()
                .get(jobs() + "/huge/runs/" + run)
                .then()
                .body("reason", is("Unschedulable"))
                .body("message", containsString("Insufficient memory")));
    eventually(
        () ->
            sandbox()
                .get(jobs() + "/huge/pods")
                .then()
                .statusCode(200)
                .body("items[0].status", is("Pending"))
                .body("events.reason", hasItem("FailedScheduling")));
  }

  @Test
  void aClaimThatCannotBindKeepsTheServiceFromStartingAndSaysWhy() {
    json()
        .body(
            Map.of(
                "name",
                "cache",
                "type",
                "storage",
                "workload",
                "service",
                "spec",
                Map.of(
                    "image",
                    "ghcr.io/acme/cache:1",
                    "replicas",
                    1,
                    "volumes",
                    List.of(
                        Map.of(
                            "name",
                            "data",
                            "size",
                            "1Gi",
                            "storageClass",
                            "fast-ssd",
                            "mountPath",
                            "/data")))))
        .post(jobs())
        .then()
        .statusCode(201);
    eventually(
        () ->
            sandbox()
                .get(jobs() + "/cache")
                .then()
                .body("status.phase", is("PROGRESSING"))
                .body(
                    "status.message", containsString("unbound immediate PersistentVolumeClaims")));
    // The scheduler's and the volume provisioner's events come from different controllers, in no
    // set order (as on a cluster): the pod can be unschedulable before the claim's event is there.
    eventually(
        () ->
            sandbox()
                .get(jobs() + "/cache/pods")
                .then()
                .body("events.reason", hasItem("ProvisioningFailed"))
                .body("events.message", hasItem(containsString("\"fast-ssd\" not found"))));
  }

  @Test
  void aCrashLoopingServiceShowsRestartsAndThePreviousContainersLog() {
    json()
        .body(
            Map.of(
                "name",
                "flaky",
                "type",
                "processing",
                "workload",
                "service",
                "spec",
                Map.of("image", "ghcr.io/acme/crash:1", "replicas", 1)))
        .post(jobs())
        .then()
        .statusCode(201);
    eventually(
        () ->
            sandbox()
                .get(jobs() + "/flaky/pods")
                .then()
                .body("items[0].restarts", greaterThanOrEqualTo(1))
                .body("items[0].lastTermination.reason", is("Error"))
                .body("items[0].lastTermination.exitCode", is(1)));
    String pod = sandbox().get(jobs() + "/flaky/pods").then().extract().path("items[0].name");
    sandbox()
        .get(jobs() + "/flaky/pods/" + pod + "/logs?previous=true")
        .then()
        .statusCode(200)
        .header("Sluice-Log-Source", "live")
        .body(containsString("simulated crash"));
    sandbox().get(jobs() + "/flaky/pods/elsewhere-0/logs").then().statusCode(404);
    sandbox()
        .get(jobs() + "/flaky")
        .then()
        .body("status.message", anyOf(containsString("CrashLoopBackOff"), containsString("Error")));
  }

  @Test
  void followReceivesLinesWrittenAfterTheRequestAndEndsWithTheContainer() {
    batch("follow", Map.of("image", "ghcr.io/acme/ingest:1"));
    int run = startRun("follow");
    eventually(
        () -> sandbox().get(jobs() + "/follow/runs/" + run).then().body("phase", is("RUNNING")));
    String sofar =
        sandbox().get(jobs() + "/follow/runs/" + run + "/logs").then().extract().asString();
    assertFalse(sofar.contains("Exited with code"), "the container is still running: " + sofar);

    long started = System.nanoTime();
    Response followed = sandbox().get(jobs() + "/follow/runs/" + run + "/logs?follow=true");
    assertEquals(200, followed.statusCode(), followed.headers() + " " + followed.asString());
    followed.then().header("Sluice-Log-Source", "live");
    String body = followed.asString();
    assertTrue(body.contains("Started container main"), body);
    assertTrue(body.contains("Exited with code 0"), "lines written after the request: " + body);
    assertEquals(1, count(body, "Started container main"), "each line once: " + body);
    assertTrue(
        Duration.ofNanos(System.nanoTime() - started).toMillis() > 300,
        "the answer stayed open while the container ran");
  }

  @Test
  void logsOfAnEndedRunOutliveItsPodsAndArePurgedAfterTheirRetention() {
    batch("short", Map.of("image", "ghcr.io/acme/ingest:1"));
    int run = startRun("short");
    eventually(
        () -> sandbox().get(jobs() + "/short/runs/" + run).then().body("phase", is("SUCCEEDED")));
    // The Job's TTL, or a lost node: the pods are gone.
    eventually(
        () -> {
          try (KubernetesClient cluster = cluster()) {
            cluster.pods().inNamespace(ns).withLabel("job-name", "short-" + run).delete();
            assertTrue(
                cluster
                    .pods()
                    .inNamespace(ns)
                    .withLabel("job-name", "short-" + run)
                    .list()
                    .getItems()
                    .isEmpty());
          }
          sandbox()
              .get(jobs() + "/short/runs/" + run + "/logs")
              .then()
              .statusCode(200)
              .header("Sluice-Log-Source", "kept")
              .body(containsString("Processed 1000 records"))
              .body(not(containsString("Z Processed")));
        });
    sandbox()
        .get(jobs() + "/short/runs/" + run + "/logs?timestamps=true&tailLines=1")
        .then()
        .statusCode(200)
        .body(matchesPattern("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z Exited with code 0\\n"));

    assertTrue(kept.purge(Duration.ZERO) >= 1);
    sandbox()
        .get(jobs() + "/short/runs/" + run + "/logs")
        .then()
        .statusCode(404)
        .body("reason", is("LOGS_NOT_KEPT"));
  }

  @Test
  void sandboxSecretsAreCheckedAndTheirValuesNeverAnswered() {
    json()
        .body(Map.of("stringData", Map.of("..data", "x")))
        .put("/api/v1/namespaces/" + ns + "/sandbox/secrets/creds")
        .then()
        .statusCode(422);
    // Its declared limits answer as every other body's: a problem document naming the field.
    json()
        .body(Map.of("stringData", Map.of("BIG", "x".repeat(65537))))
        .put("/api/v1/namespaces/" + ns + "/sandbox/secrets/creds")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("errors[0].field", is("stringData[BIG]"))
        .body("errors[0].message", is("size must be between 0 and 65536"));
    json()
        .body(Map.of())
        .put("/api/v1/namespaces/" + ns + "/sandbox/secrets/creds")
        .then()
        .statusCode(422)
        .body("errors[0].field", is("stringData"));
    json()
        .body(Map.of("stringData", Map.of("TOKEN", "s3cr3t")))
        .put("/api/v1/namespaces/" + ns + "/sandbox/secrets/creds")
        .then()
        .statusCode(201)
        .body(not(containsString("s3cr3t")));
    json()
        .body(Map.of("stringData", Map.of("TOKEN", "other")))
        .put("/api/v1/namespaces/" + ns + "/sandbox/secrets/creds")
        .then()
        .statusCode(200);
    sandbox().delete("/api/v1/namespaces/" + ns + "/sandbox/secrets/creds").then().statusCode(204);
    sandbox().delete("/api/v1/namespaces/" + ns + "/sandbox/secrets/creds").then().statusCode(404);
  }

  private void batch(String name, Map<String, Object> spec) {
    json()
        .body(Map.of("name", name, "type", "ingestion", "spec", spec))
        .post(jobs())
        .then()
        .statusCode(201);
  }

  private int startRun(String job) {
    return json()
        .post(jobs() + "/" + job + "/runs")
        .then()
        .statusCode(201)
        .extract()
        .path("number");
  }

  private String jobs() {
    return "/api/v1/namespaces/" + ns + "/jobs";
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static KubernetesClient cluster() {
    return new KubernetesClientBuilder()
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl(System.getProperty(SandboxCluster.URL_PROPERTY))
                .build())
        .build();
  }

  private static RequestSpecification json() {
    return sandbox().contentType("application/json");
  }

  private static RequestSpecification sandbox() {
    return io.sluice.support.Api.as(io.sluice.support.Api.sandboxToken());
  }
}
