package io.sluice.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Job request bodies and unique names for tests. Every test works in a namespace of its own, so
 * tests neither depend on each other's data nor on the order they run in.
 */
public final class Fixtures {
  private Fixtures() {}

  /** A fresh namespace name, unique per call. */
  public static String namespace() {
    return "t-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
  }

  public static Map<String, Object> batchJob(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("type", "ingestion");
    body.put("spec", batchSpec());
    return body;
  }

  public static Map<String, Object> batchSpec() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("image", "ghcr.io/acme/ingest:1.0.0");
    spec.put("args", List.of("--source", "s3://raw/events"));
    spec.put("env", List.of(Map.of("name", "LOG_LEVEL", "value", "info")));
    spec.put("config", Map.of("pipeline.yaml", "batchSize: 500\n"));
    spec.put(
        "resources",
        Map.of(
            "requests", Map.of("cpu", "250m", "memory", "256Mi"),
            "limits", Map.of("cpu", "1", "memory", "1Gi")));
    spec.put(
        "volumes", List.of(Map.of("name", "staging", "size", "5Gi", "mountPath", "/data/staging")));
    spec.put("batch", Map.of("parallelism", 1, "completions", 1, "backoffLimit", 3));
    spec.put("labels", Map.of("team", "data"));
    return spec;
  }

  public static Map<String, Object> serviceJob(String name) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("image", "ghcr.io/acme/enrich:2.1.0");
    spec.put("replicas", 2);
    spec.put("ports", List.of(Map.of("name", "http", "containerPort", 8080)));
    spec.put("labels", Map.of("team", "analytics"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("type", "processing");
    body.put("workload", "service");
    body.put("spec", spec);
    return body;
  }

  public static Map<String, Object> statefulJob(String name) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("image", "docker.io/library/postgres:16");
    spec.put("replicas", 1);
    spec.put(
        "volumes",
        List.of(Map.of("name", "data", "size", "20Gi", "mountPath", "/var/lib/postgresql/data")));
    spec.put("ports", List.of(Map.of("name", "pg", "containerPort", 5432)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("type", "storage");
    body.put("spec", spec);
    return body;
  }

  public static Map<String, Object> scheduledJob(String name, String schedule) {
    Map<String, Object> body = batchJob(name);
    body.put("workload", "scheduled");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) body.get("spec");
    spec.put("schedule", schedule);
    return body;
  }

  /** A deep copy of {@code body} with {@code path} (dot-separated) set to {@code value}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> with(Map<String, Object> body, String path, Object value) {
    Map<String, Object> copy = deepCopy(body);
    String[] keys = path.split("\\.");
    Map<String, Object> node = copy;
    for (int i = 0; i < keys.length - 1; i++) {
      node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
    }
    node.put(keys[keys.length - 1], value);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
    return copy;
  }
}
