package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.SpecCodec;
import io.sluice.job.Workload;
import io.sluice.policy.Admission;
import io.sluice.policy.PodSecurity;
import io.sluice.render.ApiServerRules;
import io.sluice.render.Desired;
import io.sluice.render.RenderFixtures;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a real cluster would do with the README's examples and the suite's fixtures, as stored by
 * admission (the namespace policy's defaults filled in): every rendered object passes the API
 * server's validation rules, every pod meets the restricted Pod Security Standard, and the kubelet
 * starts it (a user named under runAsNonRoot, volumes writable through an fsGroup). And each rule
 * catches what it is there for.
 */
@QuarkusTest
@WithKubernetesTestServer
class RealClusterRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Inject Admission admission;

  @Test
  void examplesAndFixturesRenderObjectsAClusterAcceptsAndRuns() throws IOException {
    List<RenderInput> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      // Job definitions; pipelines (pipeline-*) render nothing themselves and run in the sandbox
      // tests.
      for (Path file :
          files
              .filter(f -> f.toString().matches(".*\\.(json|ya?ml)$"))
              .filter(f -> !f.getFileName().toString().startsWith("pipeline-"))
              .toList()) {
        inputs.add(admitted(YAML.readTree(file.toFile()), file.getFileName().toString()));
      }
    }
    for (Map<String, Object> job :
        List.of(
            Fixtures.batchJob("a"),
            Fixtures.serviceJob("b"),
            Fixtures.statefulJob("c"),
            Fixtures.scheduledJob("d", "0 3 * * *"))) {
      inputs.add(admitted(YAML.valueToTree(job), String.valueOf(job.get("name"))));
    }
    int pods = 0;
    for (RenderInput input : inputs) {
      List<HasMetadata> objects = Renderer.render(input).stream().map(Desired::resource).toList();
      String what = input.name() + " (" + input.workload() + ")";
      assertEquals(List.of(), ApiServerRules.violations(objects), what);
      assertEquals(List.of(), PodSecurity.violations(objects), what);
      for (HasMetadata o : objects) {
        List<PodTemplateSpec> templates = new ArrayList<>();
        if (template(o) != null) {
          templates.add(template(o));
        }
        // The pods an engine's operator builds from its custom resource.
        io.sluice.render.EnginePods.of(o).forEach(role -> templates.add(role.template()));
        for (PodTemplateSpec template : templates) {
          Pod pod = podOf(template);
          assertEquals(
              java.util.Optional.empty(),
              Kubelet.rootUnderNonRoot(pod, SandboxNode.defaults()),
              what + ": the kubelet would refuse to start it");
          assertEquals(
              java.util.Optional.empty(),
              Kubelet.cannotWrite(pod),
              what + ": its process could not write its volumes");
          pods++;
        }
      }
    }
    assertTrue(pods >= inputs.size(), "every input rendered a pod template: " + pods);
  }

  @Test
  void withoutTheDefaultUserTheKubeletRefusesARootImageAndClaimsAreNotWritable() {
    RenderInput bare =
        RenderFixtures.input(
            Workload.STATEFUL,
            SpecCodec.spec(
                "{\"image\":\"postgres:16\",\"replicas\":1,\"volumes\":[{\"name\":\"data\",\"size\":\"1Gi\",\"mountPath\":\"/var/lib/postgresql/data\"}]}"));
    PodTemplateSpec template =
        Renderer.render(bare).stream()
            .map(Desired::resource)
            .map(RealClusterRulesTest::template)
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElseThrow();
    Pod pod = podOf(template);
    assertTrue(Kubelet.rootUnderNonRoot(pod, SandboxNode.defaults()).isPresent());
    pod.getSpec().getSecurityContext().setRunAsUser(999L);
    pod.getSpec()
        .getVolumes()
        .add(
            new VolumeBuilder()
                .withName("data")
                .withNewPersistentVolumeClaim("data-x-0", false)
                .build());
    assertTrue(Kubelet.rootUnderNonRoot(pod, SandboxNode.defaults()).isEmpty());
    assertTrue(Kubelet.cannotWrite(pod).isPresent(), "no fsGroup: the volume is root's");
    pod.getSpec().getSecurityContext().setFsGroup(999L);
    assertTrue(Kubelet.cannotWrite(pod).isEmpty());
  }

  @Test
  void theApiServerRulesCatchWhatTheTypedModelLetsThrough() {
    List<HasMetadata> objects =
        Renderer.render(RenderFixtures.input(Workload.SERVICE, RenderFixtures.spec())).stream()
            .map(Desired::resource)
            .toList();
    assertEquals(List.of(), ApiServerRules.violations(objects));
    breach(objects, Deployment.class, d -> port(d).setContainerPort(99999), "containerPort");
    breach(
        objects,
        Deployment.class,
        d -> main(d).getVolumeMounts().get(0).setName("nowhere"),
        "Not found");
    breach(
        objects,
        Deployment.class,
        d -> main(d).getVolumeMounts().add(Serialization.clone(main(d).getVolumeMounts().get(0))),
        "must be unique");
    breach(
        objects,
        Deployment.class,
        d -> d.getSpec().getTemplate().getSpec().setRestartPolicy("Never"),
        "restartPolicy");
    breach(
        objects,
        Deployment.class,
        d -> d.getSpec().getTemplate().getSpec().getSecurityContext().setRunAsUser(-1L),
        "runAsUser");
    breach(
        objects,
        Deployment.class,
        d -> d.getSpec().getSelector().getMatchLabels().put("extra", "x"),
        "selector");
    breach(objects, Service.class, s -> s.getMetadata().setName("9svc"), "DNS-1035");
    breach(objects, ConfigMap.class, c -> c.getData().put("..data", "x"), "'..'");
    List<HasMetadata> scheduled =
        Renderer.render(
                RenderFixtures.input(
                    Workload.SCHEDULED,
                    SpecCodec.spec("{\"image\":\"x:1\",\"schedule\":\"0 3 * * *\"}")))
            .stream()
            .map(Desired::resource)
            .toList();
    breach(scheduled, CronJob.class, c -> c.getSpec().setTimeZone("Mars/Olympus"), "timeZone");
  }

  private static <T extends HasMetadata> void breach(
      List<HasMetadata> objects, Class<T> kind, Consumer<T> change, String expected) {
    List<HasMetadata> copy = objects.stream().map(Serialization::clone).toList();
    T target = copy.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
    change.accept(target);
    List<String> violations = ApiServerRules.violations(copy);
    assertTrue(
        violations.stream().anyMatch(v -> v.contains(expected)),
        expected + " not reported: " + violations);
    assertTrue(violations.get(0).startsWith(kind.getSimpleName() + "/"), violations.toString());
  }

  private static io.fabric8.kubernetes.api.model.Container main(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static io.fabric8.kubernetes.api.model.ContainerPort port(Deployment d) {
    return main(d).getPorts().get(0);
  }

  private RenderInput admitted(JsonNode body, String what) {
    JobType type =
        body.has("type")
            ? JobType.valueOf(body.get("type").asText().toUpperCase())
            : JobType.PROCESSING;
    JsonNode given = body.get("spec");
    Workload workload =
        body.has("workload")
            ? Workload.valueOf(body.get("workload").asText().toUpperCase())
            : given.has("flink")
                ? Workload.FLINK
                : given.has("spark") ? Workload.SPARK : type.defaultWorkload();
    String name = body.has("name") ? body.get("name").asText() : "updated";
    // Engine jobs need a namespace whose policy gives their driver / JobManager its token.
    String ns = workload.isEngine() ? io.sluice.support.EngineFixtures.NS : "data";
    JobSpec spec = admission.admit(ns, name, type, workload, SpecCodec.spec(given.toString()));
    return RenderInput.preview(UUID.randomUUID(), ns, name, type, workload, 1, spec, 1);
  }

  private static PodTemplateSpec template(HasMetadata o) {
    if (o instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j) {
      return j.getSpec().getTemplate();
    }
    if (o instanceof CronJob c) {
      return c.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return null;
  }

  private static Pod podOf(PodTemplateSpec template) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("pod")
        .withNamespace("data")
        .endMetadata()
        .withSpec(Serialization.clone(template.getSpec()))
        .build();
  }
}
