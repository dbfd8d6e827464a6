package io.sluice.support;

import static io.sluice.support.Api.request;
import static io.sluice.support.Cluster.eventually;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipeline request bodies, and playing the Kubernetes Job controller for the steps' runs: the test
 * server runs no controllers, so a test says how each attempt ends.
 */
public final class Pipelines {
  private Pipelines() {}

  public static String path(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/pipelines";
  }

  public static String path(String namespace, String name) {
    return path(namespace) + "/" + name;
  }

  /** A job step: runs {@code job} after {@code deps}. */
  public static Map<String, Object> step(String name, String job, String... deps) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("name", name);
    step.put("job", job);
    if (deps.length > 0) {
      step.put("dependsOn", List.of(deps));
    }
    return step;
  }

  public static Map<String, Object> with(Map<String, Object> step, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(step);
    copy.put(key, value);
    return copy;
  }

  @SafeVarargs
  public static Map<String, Object> pipeline(String name, Map<String, Object>... steps) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("steps", new ArrayList<>(List.of(steps)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("spec", spec);
    return body;
  }

  /** Creates batch jobs of these names in {@code namespace}. */
  public static void batchJobs(String namespace, String... names) {
    for (String name : names) {
      Api.createJobOk(namespace, Fixtures.batchJob(name));
    }
  }

  /**
   * The Kubernetes Job of the newest attempt of {@code step} in run {@code run}, once it exists.
   */
  public static Job awaitStepJob(
      KubernetesClient client,
      String namespace,
      String pipeline,
      int run,
      String step,
      int attempt) {
    String[] name = new String[1];
    eventually(
        () -> {
          var body =
              request()
                  .get(path(namespace, pipeline) + "/runs/" + run)
                  .then()
                  .statusCode(200)
                  .extract();
          List<Map<String, Object>> attempts =
              body.path("steps.find { it.name == '" + step + "' }.attempts");
          assertNotNull(attempts, "step " + step + " has no attempts yet");
          if (attempts.size() < attempt) {
            throw new AssertionError("step " + step + " has " + attempts.size() + " attempts");
          }
          String job = body.path("steps.find { it.name == '" + step + "' }.job");
          name[0] = job + "-" + attempts.get(attempt - 1).get("run");
          assertNotNull(
              client.batch().v1().jobs().inNamespace(namespace).withName(name[0]).get(),
              "Kubernetes Job " + name[0]);
        });
    return client.batch().v1().jobs().inNamespace(namespace).withName(name[0]).get();
  }

  public static void succeed(KubernetesClient client, String namespace, Job job) {
    setStatus(
        client,
        namespace,
        job.getMetadata().getName(),
        new JobStatusBuilder()
            .withSucceeded(1)
            .withStartTime("2026-12-01T03:00:00Z")
            .withCompletionTime("2026-12-01T03:01:00Z")
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
  }

  public static void fail(KubernetesClient client, String namespace, Job job) {
    setStatus(
        client,
        namespace,
        job.getMetadata().getName(),
        new JobStatusBuilder()
            .withFailed(1)
            .withStartTime("2026-12-01T03:00:00Z")
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .build())
            .build());
  }

  private static void setStatus(
      KubernetesClient client,
      String namespace,
      String name,
      io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            j -> {
              j.setStatus(status);
              return j;
            });
  }
}
