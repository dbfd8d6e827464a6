package io.sluice.deploy;

import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.reconcile.ClusterCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Everything under {@code k8s/} parses into typed Kubernetes objects with no unknown field (a typo
 * fails), kustomizations name files that exist, and the RBAC rules grant exactly what the
 * reconciler, observers and log reader use — nothing broader.
 */
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final List<String> WRITE = List.of("create", "update", "patch", "delete");
  private static final List<String> READ = List.of("get", "list", "watch");

  @Test
  void everyManifestIsATypedObjectWithoutUnknownFields() throws IOException {
    List<HasMetadata> objects = objects();
    assertTrue(objects.size() >= 10, "expected the base objects, found " + objects.size());
    for (HasMetadata o : objects) {
      List<String> unknown = new ArrayList<>();
      io.sluice.support.UnknownFields.of(o, o.getKind(), unknown, new HashSet<>());
      assertTrue(unknown.isEmpty(), "unknown fields (typos?): " + unknown);
    }
  }

  @Test
  void kustomizationsReferToFilesThatExist() throws IOException {
    try (Stream<Path> files = Files.walk(K8S)) {
      for (Path k :
          files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> kustomization = Serialization.unmarshal(Files.readString(k), Map.class);
        @SuppressWarnings("unchecked")
        List<String> refs =
            new ArrayList<>((List<String>) kustomization.getOrDefault("resources", List.of()));
        @SuppressWarnings("unchecked")
        List<Map<String, String>> patches =
            (List<Map<String, String>>) kustomization.getOrDefault("patches", List.of());
        patches.forEach(p -> refs.add(p.get("path")));
        for (String ref : refs) {
          assertTrue(Files.exists(k.getParent().resolve(ref)), k + " refers to missing " + ref);
        }
      }
    }
  }

  @Test
  void rbacGrantsExactlyWhatSluiceUsesAndNoWildcards() throws IOException {
    ClusterRole role =
        objects().stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();
    Set<String> granted = new HashSet<>();
    for (PolicyRule rule : role.getRules()) {
      for (String list :
          List.of(
              String.join(",", rule.getApiGroups()),
              String.join(",", rule.getResources()),
              String.join(",", rule.getVerbs()))) {
        assertFalse(list.contains("*"), "no wildcards: " + rule);
      }
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            granted.add(group + "/" + resource + ":" + verb);
          }
        }
      }
    }
    assertEquals(required(), granted, "RBAC must match what the code uses, no more and no less");
  }

  @Test
  void theBootstrapSecretConfiguresAnAdminTokenThroughEnvironmentVariables() throws IOException {
    io.fabric8.kubernetes.api.model.Secret secret =
        objects().stream()
            .filter(io.fabric8.kubernetes.api.model.Secret.class::isInstance)
            .map(io.fabric8.kubernetes.api.model.Secret.class::cast)
            .filter(s -> s.getMetadata().getName().equals("sluice-bootstrap"))
            .findFirst()
            .orElseThrow();
    io.smallrye.config.SmallRyeConfig config =
        new io.smallrye.config.SmallRyeConfigBuilder()
            .withSources(new io.smallrye.config.EnvConfigSource(secret.getStringData(), 300))
            .withConverter(
                java.time.Duration.class,
                200,
                new io.quarkus.runtime.configuration.DurationConverter())
            .withMapping(io.sluice.config.SluiceConfig.class)
            .build();
    var token =
        config
            .getConfigMapping(io.sluice.config.SluiceConfig.class)
            .security()
            .tokens()
            .get("bootstrap");
    assertNotNull(token, "the Secret's variables must reach sluice.security.tokens.bootstrap");
    assertEquals("admin", token.role());
    assertEquals(List.of("*"), token.namespaces());
  }

  /** What the code needs: read every kind it watches, write every kind it manages, read logs. */
  private static Set<String> required() {
    Set<String> needed = new HashSet<>();
    for (Class<? extends HasMetadata> kind : ClusterCache.KINDS) {
      String gr = HasMetadata.getGroup(kind) + "/" + HasMetadata.getPlural(kind);
      READ.forEach(v -> needed.add(gr + ":" + v));
      if (kind != Pod.class) {
        WRITE.forEach(v -> needed.add(gr + ":" + v));
      }
    }
    for (Class<? extends HasMetadata> kind : ClusterCache.ENGINE_KINDS) {
      String gr = HasMetadata.getGroup(kind) + "/" + HasMetadata.getPlural(kind);
      ClusterCache.ENGINE_VERBS.get(kind).forEach(v -> needed.add(gr + ":" + v));
    }
    needed.add("/pods/log:get");
    io.sluice.pod.JobPods.EVENT_VERBS.forEach(v -> needed.add("/events:" + v));
    return needed;
  }

  private static List<HasMetadata> objects() throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    try (Stream<Path> files = Files.walk(K8S)) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
              .sorted()
              .toList()) {
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
          if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
            Object parsed = Serialization.unmarshal(doc);
            assertTrue(
                parsed instanceof HasMetadata,
                file + " holds something that is not a Kubernetes object");
            objects.add((HasMetadata) parsed);
          }
        }
      }
    }
    return objects;
  }
}
