package io.sluice.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.engine.Engines;
import io.sluice.sandbox.SandboxOperators;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Spark and Flink job bodies for tests, and the operators' CRDs installed in (or removed from) a
 * test server. The namespaces are fixed because policy is configured per namespace (the test
 * profile lets both give a driver or JobManager its token); names are unique per call.
 */
public final class EngineFixtures {
  private EngineFixtures() {}

  /** Allows the ServiceAccount token (application.properties, test profile). */
  public static final String NS = "engines";

  /** Also caps each job's pods at 64Gi of memory together and 16Gi each. */
  public static final String CAPPED = "engines-capped";

  public static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static void install(KubernetesClient client, Engines engines) {
    for (Engines.Engine engine : Engines.Engine.values()) {
      SandboxOperators.install(client, engine);
    }
    engines.refresh();
  }

  public static Map<String, Object> sparkJob(String name) {
    return job(name, "spark", sparkSpec());
  }

  public static Map<String, Object> flinkJob(String name) {
    return job(name, "flink", flinkSpec());
  }

  public static Map<String, Object> job(String name, String workload, Map<String, Object> spec) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("type", "processing");
    body.put("workload", workload);
    body.put("spec", spec);
    return body;
  }

  public static Map<String, Object> sparkSpec() {
    Map<String, Object> spark = new LinkedHashMap<>();
    spark.put("type", "Scala");
    spark.put("mainClass", "org.apache.spark.examples.SparkPi");
    spark.put("mainApplicationFile", "local:///opt/spark/examples/jars/spark-examples.jar");
    spark.put("arguments", List.of("100"));
    spark.put("sparkVersion", "3.5.3");
    spark.put("driver", Map.of("cores", 1, "memory", "512m"));
    spark.put("executor", new LinkedHashMap<>(Map.of("instances", 2, "cores", 1, "memory", "1g")));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("image", "apache/spark:3.5.3");
    spec.put("serviceAccountName", "spark");
    spec.put("automountServiceAccountToken", true);
    spec.put("config", Map.of("job.properties", "a=1\n"));
    spec.put("spark", spark);
    return spec;
  }

  public static Map<String, Object> flinkSpec() {
    Map<String, Object> flink = new LinkedHashMap<>();
    flink.put("jarURI", "local:///opt/flink/usrlib/stream.jar");
    flink.put("flinkVersion", "v1_20");
    flink.put("parallelism", 2);
    flink.put("taskManager", Map.of("cpu", 1, "memory", "2g", "taskSlots", 2));
    flink.put("upgradeMode", "savepoint");
    flink.put("savepointDirectory", "s3://flink/savepoints");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("image", "flink:1.20");
    spec.put("serviceAccountName", "flink");
    spec.put("automountServiceAccountToken", true);
    spec.put("flink", flink);
    return spec;
  }
}
