package io.sluice.engine;

import static io.sluice.support.Api.createJob;
import static io.sluice.support.Api.getJob;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.EngineFixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spark and Flink fields under hostile input: each request is refused whole, with the field and
 * what is allowed, and nothing is stored. Above all, no configuration key may reach what the rest
 * of the spec and the namespace's policy govern (pod templates, volumes, Secrets, credentials,
 * sizes).
 */
@QuarkusTest
@WithKubernetesTestServer
class EngineHostileInputTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spark(Map<String, Object> spec) {
    return (Map<String, Object>) spec.get("spark");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> flink(Map<String, Object> spec) {
    return (Map<String, Object>) spec.get("flink");
  }

  private static Arguments sparkCase(String field, Consumer<Map<String, Object>> edit) {
    return Arguments.of("spark", field, edit);
  }

  private static Arguments flinkCase(String field, Consumer<Map<String, Object>> edit) {
    return Arguments.of("flink", field, edit);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        sparkCase(
            "spec.spark.sparkConf.spark.kubernetes.driver.podTemplateFile",
            s ->
                spark(s)
                    .put(
                        "sparkConf",
                        Map.of("spark.kubernetes.driver.podTemplateFile", "/tmp/root.yaml"))),
        sparkCase(
            "spec.spark.sparkConf.spark.kubernetes.executor.volumes.hostPath.root.mount.path",
            s ->
                spark(s)
                    .put(
                        "sparkConf",
                        Map.of(
                            "spark.kubernetes.executor.volumes.hostPath.root.mount.path",
                            "/host"))),
        sparkCase(
            "spec.spark.sparkConf.spark.kubernetes.driver.secrets.sluice-token",
            s ->
                spark(s)
                    .put(
                        "sparkConf", Map.of("spark.kubernetes.driver.secrets.sluice-token", "/t"))),
        sparkCase(
            "spec.spark.sparkConf.spark.kubernetes.authenticate.driver.serviceAccountName",
            s ->
                spark(s)
                    .put(
                        "sparkConf",
                        Map.of(
                            "spark.kubernetes.authenticate.driver.serviceAccountName", "sluice"))),
        sparkCase(
            "spec.spark.sparkConf.spark.executor.memory",
            s -> spark(s).put("sparkConf", Map.of("spark.executor.memory", "900g"))),
        sparkCase(
            "spec.spark.sparkConf.spark.dynamicAllocation.maxExecutors",
            s -> spark(s).put("sparkConf", Map.of("spark.dynamicAllocation.maxExecutors", "9999"))),
        sparkCase(
            "spec.spark.sparkConf.spark.executorEnv.SLUICE_JOB",
            s -> spark(s).put("sparkConf", Map.of("spark.executorEnv.SLUICE_JOB", "other"))),
        sparkCase(
            "spec.spark.sparkConf.hadoop.x",
            s -> spark(s).put("sparkConf", Map.of("hadoop.x", "1"))),
        sparkCase(
            "spec.spark.driver.memory",
            s -> spark(s).put("driver", Map.of("cores", 1, "memory", "8Gi"))),
        sparkCase(
            "spec.spark.executor.memory",
            s -> spark(s).put("executor", Map.of("instances", 1, "memory", "99999999999999g"))),
        sparkCase(
            "spec.spark.mainApplicationFile",
            s -> spark(s).put("mainApplicationFile", "local:///opt/a b.jar")),
        sparkCase(
            "spec.spark.mainApplicationFile",
            s -> spark(s).put("mainApplicationFile", "local:///a.jar\n--conf x")),
        sparkCase("spec.spark.mainClass", s -> spark(s).put("mainClass", "a;rm -rf /")),
        sparkCase("spec.spark.mainClass", s -> spark(s).remove("mainClass")),
        sparkCase("spec.spark.sparkVersion", s -> spark(s).put("sparkVersion", "latest")),
        sparkCase(
            "spec.spark.executor.instances",
            s -> spark(s).put("dynamicAllocation", Map.of("maxExecutors", 4))),
        sparkCase(
            "spec.spark.dynamicAllocation.minExecutors",
            s -> {
              spark(s).remove("executor");
              spark(s).put("dynamicAllocation", Map.of("minExecutors", 5, "maxExecutors", 4));
            }),
        sparkCase(
            "spec.spark.executor.instances",
            s -> spark(s).put("executor", Map.of("instances", 100000))),
        sparkCase("spec.serviceAccountName", s -> s.remove("serviceAccountName")),
        sparkCase("spec.serviceAccountName", s -> s.remove("automountServiceAccountToken")),
        sparkCase(
            "spec.ports",
            s -> s.put("ports", List.of(Map.of("name", "ui", "containerPort", 4040)))),
        sparkCase(
            "spec.resources", s -> s.put("resources", Map.of("limits", Map.of("memory", "1Ti")))),
        sparkCase("spec.batch", s -> s.put("batch", Map.of("parallelism", 50))),
        sparkCase("spec.spark", s -> s.remove("spark")),
        sparkCase("spec.flink", s -> s.put("flink", EngineFixtures.flinkSpec().get("flink"))),
        flinkCase(
            "spec.flink.flinkConfiguration.kubernetes.pod-template-file.default",
            s ->
                flink(s)
                    .put(
                        "flinkConfiguration",
                        Map.of("kubernetes.pod-template-file.default", "/x"))),
        flinkCase(
            "spec.flink.flinkConfiguration.kubernetes.secrets",
            s ->
                flink(s)
                    .put("flinkConfiguration", Map.of("kubernetes.secrets", "sluice-token:/t"))),
        flinkCase(
            "spec.flink.flinkConfiguration.taskmanager.numberOfTaskSlots",
            s ->
                flink(s).put("flinkConfiguration", Map.of("taskmanager.numberOfTaskSlots", "512"))),
        flinkCase(
            "spec.flink.flinkConfiguration.taskmanager.memory.process.size",
            s ->
                flink(s)
                    .put("flinkConfiguration", Map.of("taskmanager.memory.process.size", "900g"))),
        flinkCase(
            "spec.flink.flinkConfiguration.state.savepoints.dir",
            s -> flink(s).put("flinkConfiguration", Map.of("state.savepoints.dir", "s3://other"))),
        flinkCase("spec.flink.savepointDirectory", s -> flink(s).remove("savepointDirectory")),
        flinkCase("spec.flink.checkpointDirectory", s -> flink(s).put("upgradeMode", "last-state")),
        flinkCase(
            "spec.flink.checkpointDirectory",
            s -> flink(s).put("checkpointDirectory", "relative/checkpoints")),
        flinkCase("spec.flink.jarURI", s -> flink(s).put("jarURI", "no scheme.jar")),
        flinkCase("spec.flink.entryClass", s -> flink(s).put("entryClass", "1Main")),
        flinkCase(
            "spec.flink.taskManager.memory",
            s -> flink(s).put("taskManager", Map.of("memory", "2Gi"))),
        flinkCase("spec.flink.parallelism", s -> flink(s).put("parallelism", 0)),
        flinkCase("spec.replicas", s -> s.put("replicas", 3)),
        flinkCase("spec.args", s -> s.put("args", List.of("--x"))),
        flinkCase(
            "spec.autoscaling",
            s ->
                s.put(
                    "autoscaling",
                    Map.of(
                        "minReplicas",
                        1,
                        "maxReplicas",
                        2,
                        "targetCPUUtilizationPercentage",
                        50))));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("refused")
  void isRefusedAtItsFieldAndNothingIsStored(
      String workload, String field, Consumer<Map<String, Object>> edit) {
    String name = EngineFixtures.name("bad");
    Map<String, Object> spec =
        deepCopy(
            workload.equals("spark") ? EngineFixtures.sparkSpec() : EngineFixtures.flinkSpec());
    edit.accept(spec);
    createJob(EngineFixtures.NS, EngineFixtures.job(name, workload, spec))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem(field))
        .body("detail", not(containsString("Exception")));
    getJob(EngineFixtures.NS, name).then().statusCode(404);
  }

  @Test
  void anUnknownVersionOrFieldIsRefusedToo() {
    Map<String, Object> spec = deepCopy(EngineFixtures.flinkSpec());
    flink(spec).put("flinkVersion", "v9_9");
    createJob(EngineFixtures.NS, EngineFixtures.job(EngineFixtures.name("v"), "flink", spec))
        .then()
        .statusCode(422);
    Map<String, Object> sparkSpec = deepCopy(EngineFixtures.sparkSpec());
    spark(sparkSpec).put("podTemplate", Map.of("spec", Map.of("hostPID", true)));
    createJob(EngineFixtures.NS, EngineFixtures.job(EngineFixtures.name("u"), "spark", sparkSpec))
        .then()
        .statusCode(400)
        .body("detail", containsString("podTemplate"));
  }

  @Test
  void storageJobsAndPoliciesWithoutTokensAreRefused() {
    Map<String, Object> body = EngineFixtures.sparkJob(EngineFixtures.name("s"));
    body.put("type", "storage");
    createJob(EngineFixtures.NS, body)
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("workload"));

    String ns = io.sluice.support.Fixtures.namespace();
    createJob(ns, EngineFixtures.flinkJob(EngineFixtures.name("t")))
        .then()
        .statusCode(422)
        .body("reason", is("POLICY_VIOLATION"))
        .body("errors.rule", hasItem("allowServiceAccountToken"));
    org.junit.jupiter.api.Assertions.assertEquals(0, Db.rowsInNamespace(ns));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
    return copy;
  }
}
