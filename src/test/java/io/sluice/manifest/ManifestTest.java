package io.sluice.manifest;

import static io.sluice.support.Api.authorized;
import static io.sluice.support.Api.createJobOk;
import static io.sluice.support.Api.jobPath;
import static io.sluice.support.Api.request;
import static io.sluice.support.Cluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /manifests} is what the reconciler applies now: scale and suspension included. */
@QuarkusTest
@WithKubernetesTestServer
class ManifestTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Inject KubernetesClient client;

  private final String ns = Fixtures.namespace();

  private List<JsonNode> manifests(String job) throws IOException {
    String text =
        authorized()
            .get(jobPath(ns, job) + "/manifests")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<JsonNode> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(text)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(out::add);
    }
    return out;
  }

  private static JsonNode kind(List<JsonNode> objects, String kind) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()))
        .findFirst()
        .orElseThrow();
  }

  private int appliedReplicas(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get().getSpec().getReplicas();
  }

  @Test
  void aScaledOrSuspendedServiceShowsTheReplicasThatAreApplied() throws IOException {
    createJobOk(ns, Fixtures.serviceJob("web"));
    request().body(Map.of("replicas", 3)).put(jobPath(ns, "web") + "/scale").then().statusCode(200);
    eventually(() -> assertEquals(3, appliedReplicas("web")));
    assertEquals(3, kind(manifests("web"), "Deployment").at("/spec/replicas").asInt());

    request().post(jobPath(ns, "web") + "/suspend").then().statusCode(200);
    eventually(() -> assertEquals(0, appliedReplicas("web")));
    assertEquals(0, kind(manifests("web"), "Deployment").at("/spec/replicas").asInt());
  }

  @Test
  void aScaledScheduledJobShowsTheParallelismThatIsApplied() throws IOException {
    createJobOk(ns, Fixtures.scheduledJob("nightly", "0 3 * * *"));
    request()
        .body(Map.of("replicas", 3))
        .put(jobPath(ns, "nightly") + "/scale")
        .then()
        .statusCode(200);
    eventually(
        () ->
            assertEquals(
                3,
                client
                    .batch()
                    .v1()
                    .cronjobs()
                    .inNamespace(ns)
                    .withName("nightly")
                    .get()
                    .getSpec()
                    .getJobTemplate()
                    .getSpec()
                    .getParallelism()));
    assertEquals(
        3, kind(manifests("nightly"), "CronJob").at("/spec/jobTemplate/spec/parallelism").asInt());
  }

  @Test
  void jsonIsAnArrayOfTheSameObjectsWhenAskedFor() throws IOException {
    createJobOk(ns, Fixtures.serviceJob("api"));
    String json =
        authorized()
            .accept("application/json")
            .get(jobPath(ns, "api") + "/manifests")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .extract()
            .asString();
    JsonNode objects = new ObjectMapper().readTree(json);
    assertEquals(true, objects.isArray());
    List<JsonNode> yaml = manifests("api");
    assertEquals(yaml.size(), objects.size());
    for (int i = 0; i < yaml.size(); i++) {
      assertEquals(yaml.get(i).path("kind").asText(), objects.get(i).path("kind").asText());
    }
  }
}
