package io.sluice.job;

import static io.sluice.support.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input is refused with a clear problem document, and nothing is stored. */
@QuarkusTest
@WithKubernetesTestServer
class JobValidationTest {
  private final String ns = Fixtures.namespace();

  @AfterEach
  void nothingWasStored() {
    assertEquals(0, Db.rowsInNamespace(ns), "a refused request must store nothing");
  }

  static Stream<Arguments> invalidJobs() {
    Map<String, Object> job = Fixtures.batchJob("valid-name");
    return Stream.of(
        Arguments.of("name", Fixtures.with(job, "name", "Not_A_DNS_Label")),
        Arguments.of("name", Fixtures.with(job, "name", "-leading-dash")),
        Arguments.of("name", Fixtures.with(job, "name", "x".repeat(41))),
        Arguments.of("name", Fixtures.with(job, "name", null)),
        Arguments.of("type", Fixtures.with(job, "type", "teleportation")),
        Arguments.of("workload", Fixtures.with(job, "workload", "daemon")),
        Arguments.of("spec.image", Fixtures.with(job, "spec.image", "")),
        Arguments.of("spec.image", Fixtures.with(job, "spec.image", "has spaces:1")),
        Arguments.of(
            "spec.replicas", Fixtures.with(Fixtures.serviceJob("svc"), "spec.replicas", -1)),
        Arguments.of("spec.replicas", Fixtures.with(job, "spec.replicas", 2)),
        Arguments.of(
            "spec.batch.parallelism", Fixtures.with(job, "spec.batch", Map.of("parallelism", -2))),
        Arguments.of(
            "spec.batch",
            Fixtures.with(Fixtures.serviceJob("svc"), "spec.batch", Map.of("parallelism", 1))),
        Arguments.of(
            "spec.resources.requests.cpu",
            Fixtures.with(job, "spec.resources", Map.of("requests", Map.of("cpu", "lots")))),
        Arguments.of(
            "spec.resources.limits.memory",
            Fixtures.with(job, "spec.resources", Map.of("limits", Map.of("memory", "-1Gi")))),
        Arguments.of(
            "spec.resources.requests.memory",
            Fixtures.with(
                job,
                "spec.resources",
                Map.of("requests", Map.of("memory", "2Gi"), "limits", Map.of("memory", "1Gi")))),
        Arguments.of(
            "spec.volumes[0].size",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(Map.of("name", "v", "size", "ten gigs", "mountPath", "/v")))),
        Arguments.of(
            "spec.volumes[0].mountPath",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(Map.of("name", "v", "size", "1Gi", "mountPath", "relative")))),
        Arguments.of(
            "spec.volumes[0].mountPath",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(Map.of("name", "v", "size", "1Gi", "mountPath", "/etc/sluice/config/x")))),
        Arguments.of("spec.schedule", Fixtures.scheduledJob("cron", "every day at noon")),
        Arguments.of("spec.schedule", Fixtures.scheduledJob("cron", "61 * * * *")),
        Arguments.of("spec.schedule", Fixtures.scheduledJob("cron", "* * * *")),
        Arguments.of(
            "spec.schedule",
            Fixtures.with(Fixtures.scheduledJob("cron", "0 3 * * *"), "spec.schedule", null)),
        Arguments.of("spec.schedule", Fixtures.with(job, "spec.schedule", "0 3 * * *")),
        Arguments.of(
            "spec.env[0].name",
            Fixtures.with(job, "spec.env", List.of(Map.of("name", "1BAD", "value", "x")))),
        Arguments.of(
            "spec.env[1].name",
            Fixtures.with(job, "spec.env", List.of(Map.of("name", "A"), Map.of("name", "A")))),
        Arguments.of(
            "spec.labels.app.kubernetes.io/name",
            Fixtures.with(job, "spec.labels", Map.of("app.kubernetes.io/name", "x"))),
        Arguments.of(
            "spec.labels.sluice.io/job-id",
            Fixtures.with(job, "spec.labels", Map.of("sluice.io/job-id", "x"))),
        Arguments.of(
            "spec.labels.team", Fixtures.with(job, "spec.labels", Map.of("team", "has space"))),
        Arguments.of(
            "spec.ports[0].containerPort",
            Fixtures.with(
                Fixtures.serviceJob("svc"),
                "spec.ports",
                List.of(Map.of("name", "http", "containerPort", 70000)))),
        Arguments.of(
            "spec.secretRefs[0]", Fixtures.with(job, "spec.secretRefs", List.of("Bad_Secret"))),
        Arguments.of("namespace", Fixtures.with(job, "namespace", "kube-system")),
        // What a real API server or kubelet refuses later, refused at the door (#18).
        Arguments.of(
            "spec.config...data", Fixtures.with(job, "spec.config", Map.of("..data", "x"))),
        Arguments.of(
            "spec.config...2025_x", Fixtures.with(job, "spec.config", Map.of("..2025_x", "x"))),
        Arguments.of(
            "spec.volumes[0].name",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(Map.of("name", "sluice-config", "size", "1Gi", "mountPath", "/v")))),
        Arguments.of("name", Fixtures.with(Fixtures.serviceJob("x"), "name", "9svc")),
        Arguments.of("name", Fixtures.with(Fixtures.statefulJob("x"), "name", "0db")),
        Arguments.of(
            "spec.scheduling.timeZone",
            Fixtures.with(
                Fixtures.scheduledJob("cron", "0 3 * * *"),
                "spec.scheduling",
                Map.of("timeZone", "../../etc/passwd"))),
        Arguments.of(
            "spec.scheduling.timeZone",
            Fixtures.with(
                Fixtures.scheduledJob("cron", "0 3 * * *"),
                "spec.scheduling",
                Map.of("timeZone", "Mars/Olympus"))),
        Arguments.of(
            "spec.scheduling.timeZone",
            Fixtures.with(
                Fixtures.scheduledJob("cron", "0 3 * * *"),
                "spec.scheduling",
                Map.of("timeZone", "Local"))),
        Arguments.of(
            "spec.labels.controller-uid",
            Fixtures.with(job, "spec.labels", Map.of("controller-uid", "x"))),
        Arguments.of(
            "spec.labels.job-name", Fixtures.with(job, "spec.labels", Map.of("job-name", "other"))),
        Arguments.of(
            "spec.labels.batch.kubernetes.io/job-name",
            Fixtures.with(job, "spec.labels", Map.of("batch.kubernetes.io/job-name", "other"))),
        Arguments.of(
            "spec.volumes[1].mountPath",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(
                    Map.of("name", "a", "size", "1Gi", "mountPath", "/data"),
                    Map.of("name", "b", "size", "1Gi", "mountPath", "/data/")))),
        Arguments.of(
            "spec.volumes[0].mountPath",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(Map.of("name", "a", "size", "1Gi", "mountPath", "/proc")))),
        Arguments.of(
            "spec.volumes[0].mountPath",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(Map.of("name", "a", "size", "1Gi", "mountPath", "/dev/shm")))),
        Arguments.of(
            "spec.volumes[0].mountPath",
            Fixtures.with(
                job,
                "spec.volumes",
                List.of(Map.of("name", "a", "size", "1Gi", "mountPath", "/")))),
        Arguments.of("spec.image", Fixtures.with(job, "spec.image", "BusyBox")),
        Arguments.of("spec.image", Fixtures.with(job, "spec.image", "busybox:-1")),
        Arguments.of("spec.image", Fixtures.with(job, "spec.image", "busybox:" + "t".repeat(129))),
        Arguments.of("spec.image", Fixtures.with(job, "spec.image", "ghcr.io/acme/../evil/x")),
        Arguments.of(
            "spec.schedule",
            Fixtures.with(
                Fixtures.scheduledJob("cron", "0 3 * * *"), "spec.schedule", "0 0 31 2 *")),
        Arguments.of(
            "spec.securityContext.runAsUser",
            Fixtures.with(job, "spec.securityContext", Map.of("runAsUser", 0))),
        Arguments.of(
            "spec.securityContext.runAsGroup",
            Fixtures.with(job, "spec.securityContext", Map.of("runAsGroup", 0))),
        Arguments.of(
            "spec.securityContext.fsGroup",
            Fixtures.with(job, "spec.securityContext", Map.of("fsGroup", 0))),
        Arguments.of(
            "spec.securityContext.supplementalGroups[0]",
            Fixtures.with(job, "spec.securityContext", Map.of("supplementalGroups", List.of(0)))),
        Arguments.of(
            "spec.securityContext.fsGroupChangePolicy",
            Fixtures.with(
                job, "spec.securityContext", Map.of("fsGroupChangePolicy", "Sometimes"))));
  }

  static Stream<Arguments> policyRefusals() {
    Map<String, Object> job = Fixtures.batchJob("valid-name");
    return Stream.of(
        Arguments.of(
            "spec.tolerations[0]",
            Fixtures.with(job, "spec.tolerations", List.of(Map.of("operator", "Exists")))),
        Arguments.of(
            "spec.tolerations[0].key",
            Fixtures.with(
                job,
                "spec.tolerations",
                List.of(
                    Map.of(
                        "key", "node-role.kubernetes.io/control-plane", "operator", "Exists")))));
  }

  /** Tolerating every taint, or the control plane's, is the namespace policy's call: off. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("policyRefusals")
  void tolerationsOfEveryTaintAreRefusedByPolicy(String field, Map<String, Object> body) {
    createJob(ns, body)
        .then()
        .statusCode(422)
        .body("type", is("https://sluice.io/problems/policy-violation"))
        .body("errors.field", hasItem(field))
        .body("errors.rule", hasItem("allowTolerateAllTaints"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidJobs")
  void invalidFieldIs422WithThatField(String field, Map<String, Object> body) {
    createJob(ns, body)
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", is("https://sluice.io/problems/validation-failed"))
        .body("reason", is("VALIDATION_FAILED"))
        .body("instance", is(jobsPath(ns)))
        .body("errors.field", hasItem(field));
  }

  @Test
  void everyInvalidFieldIsReportedAtOnce() {
    Map<String, Object> body = Fixtures.with(Fixtures.batchJob("Bad Name"), "spec.image", "");
    createJob(ns, body).then().statusCode(422).body("errors.field", hasItems("name", "spec.image"));
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of(
            "unknown top-level field",
            "{\"name\":\"a\",\"type\":\"ingestion\",\"spec\":{\"image\":\"i\"},\"hostNetwork\":true}",
            "hostNetwork"),
        Arguments.of(
            "unknown nested field",
            "{\"name\":\"a\",\"type\":\"ingestion\",\"spec\":{\"image\":\"i\",\"privileged\":true}}",
            "spec"),
        Arguments.of(
            "unknown deep field",
            "{\"name\":\"a\",\"type\":\"ingestion\",\"spec\":{\"image\":\"i\",\"env\":[{\"name\":\"A\",\"valueFrom\":{}}]}}",
            "spec.env[0]"),
        Arguments.of("not JSON", "{\"name\": ", "body"),
        Arguments.of(
            "trailing garbage",
            "{\"name\":\"a\",\"type\":\"ingestion\",\"spec\":{\"image\":\"i\"}} x",
            "body"),
        Arguments.of(
            "string for a number",
            "{\"name\":\"a\",\"type\":\"processing\",\"workload\":\"service\",\"spec\":{\"image\":\"i\",\"replicas\":\"3\"}}",
            "spec.replicas"),
        Arguments.of(
            "fraction for an integer",
            "{\"name\":\"a\",\"type\":\"processing\",\"workload\":\"service\",\"spec\":{\"image\":\"i\",\"replicas\":1.5}}",
            "spec.replicas"),
        Arguments.of(
            "duplicate key",
            "{\"name\":\"a\",\"name\":\"b\",\"type\":\"ingestion\",\"spec\":{\"image\":\"i\"}}",
            "body"),
        Arguments.of("array for an object", "[]", "body"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void malformedBodyIs400(String description, String body, String field) {
    request()
        .body(body)
        .post(jobsPath(ns))
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("reason", is("MALFORMED_REQUEST"))
        .body("detail", not(containsString("io.sluice")))
        .body("detail", not(containsString("Exception")));
  }

  @Test
  void deeplyNestedJsonIsRefusedWithout500() {
    String deep =
        "{\"name\":\"a\",\"type\":\"ingestion\",\"spec\":{\"image\":\"i\",\"labels\":"
            + "[".repeat(5000)
            + "]".repeat(5000)
            + "}}";
    request()
        .body(deep)
        .post(jobsPath(ns))
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void emptyBodyIs422() {
    request()
        .body("")
        .post(jobsPath(ns))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("body"));
  }

  @Test
  void wrongContentTypeIs415() {
    io.sluice.support.Api.authorized()
        .contentType(ContentType.TEXT)
        .body("name: a")
        .post(jobsPath(ns))
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("reason", is("UNSUPPORTED_MEDIA_TYPE"));
  }

  @Test
  void oversizedBodyIs413() {
    String big = "x".repeat(1_100_000);
    Map<String, Object> body =
        Fixtures.with(Fixtures.batchJob("big"), "spec.config", Map.of("blob", big));
    createJob(ns, body)
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("reason", is("PAYLOAD_TOO_LARGE"));
  }

  @Test
  void oversizedChunkedBodyIs413AndStoresNothing() throws Exception {
    // No Content-Length: the body arrives in chunks and is cut off when it passes the limit.
    byte[] big =
        ("{\"name\":\"chunked\",\"type\":\"ingestion\",\"spec\":{\"image\":\"a:1\","
                + "\"config\":{\"blob\":\""
                + "x".repeat(1_100_000)
                + "\"}}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> answer =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://localhost:" + io.restassured.RestAssured.port + jobsPath(ns)))
                    .header("Authorization", "Bearer " + io.sluice.support.Tokens.ADMIN)
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big)))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(413, answer.statusCode(), answer.body());
    assertEquals(
        "application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
    org.junit.jupiter.api.Assertions.assertTrue(
        answer.body().contains("PAYLOAD_TOO_LARGE"), answer.body());
    assertEquals(0, Db.rowsInNamespace(ns));
  }

  @Test
  void invalidNamespaceInPathIs400() {
    createJob("Not_Valid", Fixtures.batchJob("a"))
        .then()
        .statusCode(400)
        .body("reason", is("INVALID_PARAMETER"))
        .body("errors.field", hasItem("namespace"));
  }

  @Test
  void unknownRouteAndMethodAreProblems() {
    request()
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    request().patch(jobsPath(ns)).then().statusCode(405).contentType("application/problem+json");
  }
}
