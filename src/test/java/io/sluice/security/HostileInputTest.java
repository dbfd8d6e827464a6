package io.sluice.security;

import static io.sluice.support.Api.jobsPath;
import static io.sluice.support.Api.request;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.render.Labels;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests an attacker (or a careless script) would send to get a pod out of its box. Each is
 * refused with the right status and a problem document, and nothing reaches PostgreSQL or the
 * cluster. Namespace {@code locked} has a strict policy in the test profile.
 */
@QuarkusTest
@WithKubernetesTestServer
class HostileInputTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final String LOCKED = "locked";

  @Inject KubernetesClient cluster;

  static Map<String, Object> batch() {
    return Fixtures.batchJob("placeholder");
  }

  static Map<String, Object> service() {
    return Fixtures.serviceJob("placeholder");
  }

  static Stream<Arguments> hostile() {
    String ns = Fixtures.namespace();
    Map<String, Object> compliant =
        Fixtures.with(
            Fixtures.with(
                batch(),
                "spec.batch",
                Map.of("activeDeadlineSeconds", 600, "ttlSecondsAfterFinished", 60)),
            "spec.image",
            "ghcr.io/acme/ingest:1.0");
    return Stream.of(
        Arguments.of(
            "hostNetwork",
            ns,
            Fixtures.with(batch(), "spec.hostNetwork", true),
            400,
            "spec.hostNetwork"),
        Arguments.of(
            "privileged",
            ns,
            Fixtures.with(batch(), "spec.securityContext", Map.of("privileged", true)),
            400,
            "spec.securityContext.privileged"),
        Arguments.of(
            "runAsUser 0", ns, Fixtures.with(batch(), "spec.runAsUser", 0), 400, "spec.runAsUser"),
        Arguments.of(
            "capabilities",
            ns,
            Fixtures.with(batch(), "spec.capabilities", Map.of("add", List.of("SYS_ADMIN"))),
            400,
            "spec.capabilities"),
        Arguments.of(
            "seccomp",
            ns,
            Fixtures.with(batch(), "spec.seccompProfile", Map.of("type", "Unconfined")),
            400,
            "spec.seccompProfile"),
        Arguments.of(
            "hostPath",
            ns,
            Fixtures.with(
                batch(),
                "spec.volumes",
                List.of(
                    Map.of(
                        "name",
                        "root",
                        "size",
                        "1Gi",
                        "mountPath",
                        "/host",
                        "hostPath",
                        Map.of("path", "/")))),
            400,
            "spec.volumes[0].hostPath"),
        Arguments.of(
            "hostPort",
            ns,
            Fixtures.with(
                service(),
                "spec.ports",
                List.of(Map.of("name", "http", "containerPort", 8080, "hostPort", 80))),
            400,
            "spec.ports[0].hostPort"),
        Arguments.of(
            "probe host",
            ns,
            Fixtures.with(
                service(),
                "spec.probes",
                Map.of(
                    "liveness",
                    Map.of(
                        "httpGet",
                        Map.of(
                            "path", "/latest/meta-data", "port", 80, "host", "169.254.169.254")))),
            400,
            "spec.probes.liveness.httpGet.host"),
        Arguments.of(
            "nodeName",
            ns,
            Fixtures.with(batch(), "spec.nodeName", "control-plane-1"),
            400,
            "spec.nodeName"),
        Arguments.of(
            "priorityClassName",
            ns,
            Fixtures.with(batch(), "spec.priorityClassName", "system-cluster-critical"),
            400,
            "spec.priorityClassName"),
        Arguments.of(
            "pod-spec patch",
            ns,
            Fixtures.with(batch(), "spec.podSpecPatch", "{\"hostPID\":true}"),
            400,
            "spec.podSpecPatch"),
        Arguments.of(
            "reserved label",
            ns,
            Fixtures.with(batch(), "spec.labels", Map.of("sluice.io/job-id", "someone-else")),
            422,
            "spec.labels.sluice.io/job-id"),
        Arguments.of(
            "reserved annotation",
            ns,
            Fixtures.with(
                batch(), "spec.annotations", Map.of("app.kubernetes.io/managed-by", "me")),
            422,
            "spec.annotations.app.kubernetes.io/managed-by"),
        Arguments.of(
            "replicas 100000",
            ns,
            Fixtures.with(service(), "spec.replicas", 100000),
            422,
            "spec.replicas"),
        Arguments.of(
            "parallelism max int",
            ns,
            Fixtures.with(batch(), "spec.batch", Map.of("parallelism", 2147483647)),
            422,
            "spec.batch.parallelism"),
        Arguments.of(
            "completions max int",
            ns,
            Fixtures.with(batch(), "spec.batch", Map.of("completions", 2147483647)),
            422,
            "spec.batch.completions"),
        Arguments.of(
            "memory 1Pi",
            ns,
            Fixtures.with(batch(), "spec.resources", Map.of("limits", Map.of("memory", "1Pi"))),
            422,
            "spec.resources.limits.memory"),
        Arguments.of(
            "cpu 100000",
            ns,
            Fixtures.with(batch(), "spec.resources", Map.of("requests", Map.of("cpu", "100000"))),
            422,
            "spec.resources.requests.cpu"),
        Arguments.of(
            "storage 1Ei",
            ns,
            Fixtures.with(
                batch(),
                "spec.volumes",
                List.of(Map.of("name", "big", "size", "1Ei", "mountPath", "/big"))),
            422,
            "spec.volumes[0].size"),
        Arguments.of(
            "every minute under a 5m minimum",
            LOCKED,
            Fixtures.with(
                Fixtures.with(compliant, "workload", "scheduled"), "spec.schedule", "* * * * *"),
            422,
            "spec.schedule"),
        Arguments.of(
            "image outside the registries",
            LOCKED,
            Fixtures.with(compliant, "spec.image", "docker.io/evil/miner:latest"),
            422,
            "spec.image"),
        Arguments.of(
            "short image name outside",
            LOCKED,
            Fixtures.with(compliant, "spec.image", "busybox"),
            422,
            "spec.image"),
        Arguments.of(
            "look-alike registry",
            LOCKED,
            Fixtures.with(compliant, "spec.image", "ghcr.io/acme-evil/x:1"),
            422,
            "spec.image"),
        Arguments.of(
            "no deadline where required",
            LOCKED,
            Fixtures.with(compliant, "spec.batch", Map.of("ttlSecondsAfterFinished", 60)),
            422,
            "spec.batch.activeDeadlineSeconds"),
        Arguments.of(
            "namespace kube-system in the body",
            ns,
            Fixtures.with(batch(), "namespace", "kube-system"),
            422,
            "namespace"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void isRefusedAndNothingIsStoredOrApplied(
      String label, String namespace, Map<String, Object> body, int status, String field) {
    String name = "hostile-" + SEQ.incrementAndGet();
    Response response = request().body(Fixtures.with(body, "name", name)).post(jobsPath(namespace));
    response
        .then()
        .statusCode(status)
        .contentType("application/problem+json")
        .body("errors.field", hasItem(field));
    if (status == 422 && response.jsonPath().getString("reason").equals("POLICY_VIOLATION")) {
      assertTrue(
          response.jsonPath().getList("errors.rule").stream().allMatch(r -> r != null),
          response.asString());
    }
    assertNothingFor(namespace, name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oversized")
  void oversizedOrMalformedRequestsAreRefusedBeforeAnyLookup(
      String label, java.util.function.Supplier<Response> call, int status) {
    call.get()
        .then()
        .statusCode(status)
        .contentType("application/problem+json")
        .body("detail", not(org.hamcrest.Matchers.containsStringIgnoringCase("exception")));
  }

  static Stream<Arguments> oversized() {
    String ns = Fixtures.namespace();
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String huge =
        "{\"name\":\"big\",\"type\":\"ingestion\",\"spec\":{\"image\":\"x\",\"args\":[\""
            + "a".repeat(2_000_000)
            + "\"]}}";
    return Stream.of(
        call(
            "10 KB idempotency key",
            400,
            () ->
                request()
                    .header("Idempotency-Key", "k".repeat(10_240))
                    .body(Fixtures.batchJob("k"))
                    .post(jobsPath(ns))),
        call("deeply nested JSON", 400, () -> request().body(deep).post(jobsPath(ns))),
        call("2 MB body", 413, () -> request().body(huge).post(jobsPath(ns))),
        call(
            "SQL in a label selector",
            400,
            () -> request().get(jobsPath(ns) + "?labelSelector=team%3D'x'%20OR%201%3D1--")),
        call(
            "path traversal in a name", 404, () -> request().get(jobsPath(ns) + "/..%2F..%2Fetc")));
  }

  private static Arguments call(
      String label, int status, java.util.function.Supplier<Response> call) {
    return Arguments.of(label, call, status);
  }

  /** Library names that must never reach a caller: they say nothing a person can act on. */
  private static final java.util.regex.Pattern INTERNALS =
      java.util.regex.Pattern.compile(
          "(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]|CoercionConfig|ArrayList|LinkedHashMap|JobSpec"
              + "|CreateJobRequest|Exception");

  static Stream<Arguments> malformed() {
    String job = "{\"name\":\"%s\",\"type\":\"ingestion\",\"spec\":{\"image\":\"busybox\",%s}}";
    String yaml = "application/yaml";
    String json = "application/json";
    return Stream.of(
        Arguments.of(
            "YAML alias",
            yaml,
            "name: %s\ntype: ingestion\nspec:\n  image: &img busybox\n  args: [*img, *img]\n",
            "body",
            "anchors, aliases and tags"),
        Arguments.of(
            "YAML tag",
            yaml,
            "name: %s\ntype: ingestion\nspec:\n  image: !!python/object:os.system busybox\n",
            "body",
            "tag"),
        Arguments.of(
            "YAML NUL",
            yaml,
            "name: %s\ntype: ingestion\nspec:\n  image: busybox\n  args: [\"a\\0b\"]\n",
            "spec.args[0]",
            "NUL"),
        Arguments.of(
            "NUL in args",
            json,
            job.formatted("%s", "\"args\":[\"a\\u0000b\"]"),
            "spec.args[0]",
            "NUL"),
        Arguments.of(
            "NUL in an env value",
            json,
            job.formatted("%s", "\"env\":[{\"name\":\"A\",\"value\":\"x\\u0000\"}]"),
            "spec.env[0].value",
            "NUL"),
        Arguments.of(
            "NUL in a config key",
            json,
            job.formatted("%s", "\"config\":{\"a\\u0000\":\"x\"}"),
            "spec.config",
            "NUL"),
        Arguments.of(
            "a word for a number",
            json,
            job.formatted("%s", "\"replicas\":\"three\""),
            "spec.replicas",
            "must be an integer, got \"three\""),
        Arguments.of(
            "a list for a string",
            json,
            job.formatted("%s", "\"schedule\":[1]"),
            "spec.schedule",
            "must be a string, got a list"),
        Arguments.of(
            "YAML indented with a tab",
            yaml,
            "name: %s\ntype: ingestion\nspec:\n\timage: busybox\n",
            null,
            "tabs"),
        Arguments.of("YAML sent as JSON", json, "# a job\nname: %s\n", null, "application/yaml"),
        Arguments.of(
            "YAML indented too far",
            yaml,
            "name: %s\ntype: ingestion\nspec:\n  image: busybox\n    replicas: 2\n",
            null,
            "line 5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedBodiesAreRefusedInWordsAPersonCanActOn(
      String label, String contentType, String template, String field, String says) {
    String name = "malformed-" + SEQ.incrementAndGet();
    String ns = Fixtures.namespace();
    String body = template.contains("%s") ? template.formatted(name) : template;
    Response response =
        io.sluice.support.Api.authorized()
            .contentType(contentType)
            .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .post(jobsPath(ns));
    response
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString(says));
    if (field != null) {
      response.then().body("errors.field", hasItem(org.hamcrest.Matchers.startsWith(field)));
    }
    String detail = response.jsonPath().getString("detail");
    assertTrue(!INTERNALS.matcher(detail).find(), "library internals in: " + detail);
    assertNothingFor(ns, name);
  }

  @org.junit.jupiter.api.Test
  void runArgumentsCursorsQueryParametersAndRepeatedKeysAreCheckedToo() {
    String ns = Fixtures.namespace();
    request().body(Fixtures.batchJob("j")).post(jobsPath(ns)).then().statusCode(201);
    request()
        .body("{\"args\":[\"a\\u0000\"]}")
        .post(jobsPath(ns) + "/j/runs")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("args[0]"));
    String nulCursor =
        java.util.Base64.getUrlEncoder()
            .encodeToString(
                "job\u001fa\u0000\u001fb".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    request()
        .get(jobsPath(ns) + "?cursor=" + nulCursor)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("cursor"));
    request()
        .get(jobsPath(ns) + "?sort=name")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("sort"))
        .body("detail", org.hamcrest.Matchers.containsString("limit"));
    request()
        .get("/api/v1/jobs?namespace=" + ns)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("namespace"));
    request()
        .header("Idempotency-Key", "a")
        .header("Idempotency-Key", "b")
        .post(jobsPath(ns) + "/j/runs")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("Idempotency-Key"));
    assertEquals(0, Db.count("select count(*) from runs where namespace = ?", ns));
  }

  @org.junit.jupiter.api.Test
  void aCompliantJobIsAcceptedInTheLockedNamespace() {
    String name = "compliant-" + SEQ.incrementAndGet();
    Map<String, Object> body =
        Fixtures.with(
            Fixtures.with(
                Fixtures.batchJob(name),
                "spec.batch",
                Map.of("activeDeadlineSeconds", 600, "ttlSecondsAfterFinished", 60)),
            "spec.image",
            "ghcr.io/acme/ingest@sha256:" + "a".repeat(64));
    request().body(body).post(jobsPath(LOCKED)).then().statusCode(201);
    request()
        .get("/api/v1/namespaces/" + LOCKED + "/policy")
        .then()
        .statusCode(200)
        .body("allowedImages", is(List.of("ghcr.io/acme/")))
        .body("minCronIntervalSeconds", is(300))
        .body("requireActiveDeadline", is(true));
    request().delete(jobsPath(LOCKED) + "/" + name).then().statusCode(202);
  }

  private void assertNothingFor(String namespace, String name) {
    assertEquals(
        0, Db.count("select count(*) from jobs where namespace = ? and name = ?", namespace, name));
    assertEquals(
        0,
        Db.count(
            "select count(*) from audit_events where namespace = ? and job_name = ?",
            namespace,
            name));
    for (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind :
        io.sluice.reconcile.ClusterCache.KINDS) {
      assertTrue(
          cluster
              .resources(kind)
              .inNamespace(namespace)
              .withLabel(Labels.NAME, name)
              .list()
              .getItems()
              .isEmpty(),
          kind.getSimpleName() + " applied for " + name);
    }
  }
}
