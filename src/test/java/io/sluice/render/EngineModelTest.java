package io.sluice.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.SparkApplication;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sluice's typed SparkApplication and FlinkDeployment hold to the operators' API references
 * (transcribed in src/test/resources/operator-api): every field of the models exists there with the
 * same type, and every custom resource Sluice renders, for every spec option, contains only fields
 * the references define. Kubernetes types inside (pod templates, volumes, env) are checked against
 * the Kubernetes API model, which keeps what it does not know apart.
 */
class EngineModelTest {

  /** Type.field → type, from a reference file. */
  private static Map<String, String> reference(String file) throws IOException {
    Map<String, String> fields = new HashMap<>();
    try (InputStream in = EngineModelTest.class.getResourceAsStream("/operator-api/" + file)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.trim().split(" ");
        fields.put(parts[0], parts[1]);
      }
    }
    return fields;
  }

  @Test
  void everyRenderedSparkApplicationUsesOnlyTheReferencesFields() throws IOException {
    Map<String, String> ref = reference("sparkapplication-v1beta2.txt");
    for (JobSpec spec : sparkSpecs()) {
      RenderInput job =
          new RenderInput(
                  RenderFixtures.ID,
                  "data",
                  "sessions",
                  JobType.PROCESSING,
                  Workload.SPARK,
                  1,
                  spec,
                  List.of(new RenderInput.RunInput(1, 1, List.of("x"), List.of(), true)),
                  Map.of())
              .withScale(5, false);
      SparkApplication app = SparkApplications.render(job, job.openRuns().get(0));
      JsonNode tree = Serialization.jsonMapper().valueToTree(app);
      List<String> problems = new ArrayList<>();
      walk(ref, "SparkApplication", tree.path("spec"), "SparkApplication.spec", "spec", problems);
      assertEquals(List.of(), problems);
      assertEquals("sparkoperator.k8s.io/v1beta2", tree.path("apiVersion").asText());
      assertEquals("SparkApplication", tree.path("kind").asText());
    }
  }

  @Test
  void everyRenderedFlinkDeploymentUsesOnlyTheReferencesFields() throws IOException {
    Map<String, String> ref = reference("flinkdeployment-v1beta1.txt");
    for (JobSpec spec : flinkSpecs()) {
      for (Integer scale : new Integer[] {null, 0, 9}) {
        RenderInput job =
            new RenderInput(
                    RenderFixtures.ID,
                    "data",
                    "stream",
                    JobType.PROCESSING,
                    Workload.FLINK,
                    1,
                    spec,
                    List.of(),
                    Map.of())
                .withScale(scale, false);
        JsonNode tree = Serialization.jsonMapper().valueToTree(FlinkDeployments.render(job));
        List<String> problems = new ArrayList<>();
        walk(ref, "FlinkDeployment", tree.path("spec"), "FlinkDeployment.spec", "spec", problems);
        assertEquals(List.of(), problems);
        assertEquals("flink.apache.org/v1beta1", tree.path("apiVersion").asText());
      }
    }
  }

  @Test
  void theTypedModelsNameAndTypeTheirFieldsAsTheReferencesDo() throws IOException {
    Map<String, String> spark = reference("sparkapplication-v1beta2.txt");
    Map<String, Class<?>> sparkTypes =
        Map.of(
            "SparkApplicationSpec", SparkApplication.Spec.class,
            "DriverSpec", SparkApplication.DriverSpec.class,
            "ExecutorSpec", SparkApplication.ExecutorSpec.class,
            "RestartPolicy", SparkApplication.RestartPolicy.class,
            "DynamicAllocation", SparkApplication.DynamicAllocation.class,
            "SparkApplicationStatus", SparkApplication.Status.class,
            "DriverInfo", SparkApplication.DriverInfo.class,
            "ApplicationState", SparkApplication.ApplicationState.class);
    Map<String, String> flink = reference("flinkdeployment-v1beta1.txt");
    Map<String, Class<?>> flinkTypes = new HashMap<>();
    flinkTypes.put("FlinkDeploymentSpec", FlinkDeployment.Spec.class);
    flinkTypes.put("JobSpec", FlinkDeployment.JobSpec.class);
    flinkTypes.put("Resource", FlinkDeployment.Resource.class);
    flinkTypes.put("JobManagerSpec", FlinkDeployment.JobManagerSpec.class);
    flinkTypes.put("TaskManagerSpec", FlinkDeployment.TaskManagerSpec.class);
    flinkTypes.put("FlinkDeploymentStatus", FlinkDeployment.Status.class);
    flinkTypes.put("JobStatus", FlinkDeployment.JobStatus.class);
    flinkTypes.put("SavepointInfo", FlinkDeployment.SavepointInfo.class);
    flinkTypes.put("Savepoint", FlinkDeployment.Savepoint.class);
    flinkTypes.put("ReconciliationStatus", FlinkDeployment.ReconciliationStatus.class);
    flinkTypes.put("TaskManagerInfo", FlinkDeployment.TaskManagerInfo.class);
    List<String> problems = new ArrayList<>();
    checkModel(spark, sparkTypes, problems);
    checkModel(flink, flinkTypes, problems);
    assertEquals(List.of(), problems);
  }

  private static void checkModel(
      Map<String, String> ref, Map<String, Class<?>> types, List<String> problems) {
    Map<Class<?>, String> names = new HashMap<>();
    types.forEach((name, type) -> names.put(type, name));
    types.forEach(
        (name, type) -> {
          for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
              continue;
            }
            String expected = ref.get(name + "." + f.getName());
            if (expected == null) {
              problems.add(name + "." + f.getName() + " is not in the reference");
              continue;
            }
            String actual = typeOf(f, names);
            if (!compatible(expected, actual)) {
              problems.add(name + "." + f.getName() + ": " + actual + ", reference " + expected);
            }
          }
        });
  }

  private static String typeOf(Field f, Map<Class<?>, String> names) {
    Class<?> t = f.getType();
    if (t == String.class) {
      return "string";
    }
    if (t == Integer.class || t == Long.class) {
      return "integer";
    }
    if (t == Double.class) {
      return "number";
    }
    if (t == Boolean.class) {
      return "boolean";
    }
    if (Map.class.isAssignableFrom(t)) {
      return "map";
    }
    if (List.class.isAssignableFrom(t)) {
      var element =
          (Class<?>)
              ((java.lang.reflect.ParameterizedType) f.getGenericType())
                  .getActualTypeArguments()[0];
      return "list<" + elementName(element, names) + ">";
    }
    return elementName(t, names);
  }

  private static String elementName(Class<?> t, Map<Class<?>, String> names) {
    if (t == String.class) {
      return "string";
    }
    if (names.containsKey(t)) {
      return names.get(t);
    }
    return t.getName().startsWith("io.fabric8.kubernetes.api.model")
        ? "core:" + t.getSimpleName()
        : t.getName();
  }

  private static boolean compatible(String reference, String model) {
    return reference.equals(model) || reference.equals("object") && !model.startsWith("list");
  }

  /** Walks a rendered subtree of {@code type}, reporting fields outside the reference. */
  private static void walk(
      Map<String, String> ref,
      String owner,
      JsonNode node,
      String typeKey,
      String path,
      List<String> problems) {
    String type = ref.get(typeKey);
    if (type == null) {
      problems.add(path + ": not in the reference");
      return;
    }
    check(ref, type, node, path, problems);
  }

  private static void check(
      Map<String, String> ref, String type, JsonNode node, String path, List<String> problems) {
    switch (type) {
      case "string" -> expect(node.isTextual(), path, type, node, problems);
      case "integer" -> expect(node.isIntegralNumber(), path, type, node, problems);
      case "number" -> expect(node.isNumber(), path, type, node, problems);
      case "boolean" -> expect(node.isBoolean(), path, type, node, problems);
      case "map" -> {
        expect(node.isObject(), path, type, node, problems);
        node.fields()
            .forEachRemaining(
                e ->
                    expect(
                        e.getValue().isTextual(),
                        path + "." + e.getKey(),
                        "string",
                        e.getValue(),
                        problems));
      }
      default -> {
        if (type.startsWith("list<")) {
          expect(node.isArray(), path, type, node, problems);
          String element = type.substring(5, type.length() - 1);
          for (int i = 0; i < node.size(); i++) {
            check(ref, element, node.get(i), path + "[" + i + "]", problems);
          }
        } else if (type.startsWith("core:")) {
          core(type.substring(5), node, path, problems);
        } else if (type.equals("object")) {
          expect(node.isObject(), path, type, node, problems);
        } else {
          expect(node.isObject(), path, type, node, problems);
          for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String fieldType = ref.get(type + "." + e.getKey());
            if (fieldType == null) {
              problems.add(path + "." + e.getKey() + ": " + type + " has no such field");
            } else {
              check(ref, fieldType, e.getValue(), path + "." + e.getKey(), problems);
            }
          }
        }
      }
    }
  }

  /** A Kubernetes type: read into its model, which collects unknown fields apart. */
  private static void core(String simpleName, JsonNode node, String path, List<String> problems) {
    try {
      Class<?> kind = Class.forName("io.fabric8.kubernetes.api.model." + simpleName);
      Object typed = Serialization.jsonMapper().treeToValue(node, kind);
      JsonNode again = Serialization.jsonMapper().valueToTree(typed);
      if (!again.equals(node)) {
        problems.add(path + ": not a valid " + simpleName + " (" + node + ")");
      }
      List<String> unknown = new ArrayList<>();
      io.sluice.support.UnknownFields.of(typed, path, unknown, new java.util.HashSet<>());
      problems.addAll(unknown);
    } catch (ReflectiveOperationException | IOException e) {
      problems.add(path + ": " + e);
    }
  }

  private static void expect(
      boolean ok, String path, String type, JsonNode node, List<String> problems) {
    if (!ok) {
      problems.add(path + ": expected " + type + ", rendered " + node);
    }
  }

  private static List<JobSpec> sparkSpecs() {
    JobSpec full = RenderFixtures.spec(RenderFixtures.SPARK);
    JobSpec dynamic =
        RenderFixtures.with(
            full,
            "spark",
            Map.of(
                "type", "Python",
                "mainApplicationFile", "s3a://jobs/main.py",
                "sparkVersion", "3.5.3",
                "dynamicAllocation",
                    Map.of("minExecutors", 0, "maxExecutors", 8, "initialExecutors", 1),
                "restartPolicy", Map.of("type", "Never")));
    JobSpec bare =
        RenderFixtures.spec(
            """
            {"image": "apache/spark:3.5.3", "serviceAccountName": "spark",
             "automountServiceAccountToken": true,
             "spark": {"type": "Java", "mainClass": "a.B", "mainApplicationFile": "local:///a.jar",
                       "sparkVersion": "3.5"}}
            """);
    assertTrue(full.spark().restartPolicy() != null);
    return List.of(full, dynamic, bare);
  }

  private static List<JobSpec> flinkSpecs() {
    JobSpec full = RenderFixtures.spec(RenderFixtures.FLINK);
    JobSpec two =
        RenderFixtures.with(
            full,
            "flink",
            Map.of(
                "jarURI", "local:///a.jar",
                "flinkVersion", "v2_0",
                "upgradeMode", "last-state",
                "checkpointDirectory", "s3://cp"));
    JobSpec bare =
        RenderFixtures.spec(
            """
            {"image": "flink:1.20", "serviceAccountName": "flink", "automountServiceAccountToken": true,
             "flink": {"jarURI": "local:///a.jar", "flinkVersion": "v1_18"}}
            """);
    return List.of(full, two, bare);
  }
}
