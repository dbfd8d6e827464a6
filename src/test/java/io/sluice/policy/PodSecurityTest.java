package io.sluice.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.SpecCodec;
import io.sluice.job.Workload;
import io.sluice.render.Desired;
import io.sluice.render.RenderFixtures;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import io.sluice.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pod Sluice renders meets the restricted standard, and the check catches each breach. */
class PodSecurityTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyExampleAndFixtureRendersOnlyRestrictedPods() throws IOException {
    List<RenderInput> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.(json|ya?ml)$")).toList()) {
        inputs.add(input(YAML.readTree(file.toFile())));
      }
    }
    for (Map<String, Object> job :
        List.of(
            Fixtures.batchJob("a"),
            Fixtures.serviceJob("b"),
            Fixtures.statefulJob("c"),
            Fixtures.scheduledJob("d", "0 3 * * *"))) {
      inputs.add(input(YAML.valueToTree(job)));
    }
    for (Workload workload : Workload.values()) {
      JobSpec full = RenderFixtures.spec();
      if (workload == Workload.SPARK) {
        full = RenderFixtures.spec(RenderFixtures.SPARK);
      } else if (workload == Workload.FLINK) {
        full = RenderFixtures.spec(RenderFixtures.FLINK);
      } else if (workload == Workload.SCHEDULED) {
        full = SpecCodec.spec(SpecCodec.toJson(Map.of("image", "x:1", "schedule", "0 3 * * *")));
      }
      inputs.add(input(JobType.PROCESSING, workload, full));
    }
    int pods = 0;
    for (RenderInput input : inputs) {
      List<HasMetadata> objects = Renderer.render(input).stream().map(Desired::resource).toList();
      assertEquals(
          List.of(), PodSecurity.violations(objects), input.name() + " " + input.workload());
      pods +=
          (int)
              objects.stream()
                  .filter(
                      o ->
                          PodSecurity.podSpec(o).isPresent()
                              || !io.sluice.render.EnginePods.of(o).isEmpty())
                  .count();
    }
    assertTrue(pods >= inputs.size(), "every input rendered a pod template: " + pods);
  }

  static Stream<Arguments> breaches() {
    return Stream.of(
        breach("hostNetwork", p -> p.setHostNetwork(true)),
        breach("hostPID", p -> p.setHostPID(true)),
        breach("hostIPC", p -> p.setHostIPC(true)),
        breach("nodeName", p -> p.setNodeName("node-1")),
        breach("priorityClassName", p -> p.setPriorityClassName("system-cluster-critical")),
        breach("privileged", p -> main(p).getSecurityContext().setPrivileged(true)),
        breach(
            "allowPrivilegeEscalation",
            p -> main(p).getSecurityContext().setAllowPrivilegeEscalation(true)),
        breach("runAsUser must not be 0", p -> main(p).getSecurityContext().setRunAsUser(0L)),
        breach(
            "runAsNonRoot",
            p -> {
              main(p).getSecurityContext().setRunAsNonRoot(false);
            }),
        breach(
            "capability SYS_ADMIN",
            p -> main(p).getSecurityContext().getCapabilities().setAdd(List.of("SYS_ADMIN"))),
        breach("drop ALL", p -> main(p).getSecurityContext().getCapabilities().setDrop(List.of())),
        breach(
            "seccompProfile",
            p -> {
              main(p)
                  .getSecurityContext()
                  .setSeccompProfile(
                      new io.fabric8.kubernetes.api.model.SeccompProfile(null, "Unconfined"));
            }),
        breach(
            "volume host",
            p ->
                p.getVolumes()
                    .add(
                        new VolumeBuilder()
                            .withName("host")
                            .withNewHostPath()
                            .withPath("/")
                            .endHostPath()
                            .build())),
        breach(
            "hostPort",
            p ->
                main(p)
                    .getPorts()
                    .add(
                        new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                            .withContainerPort(80)
                            .withHostPort(80)
                            .build())),
        breach(
            "probes must not set host",
            p ->
                main(p)
                    .setLivenessProbe(
                        new io.fabric8.kubernetes.api.model.ProbeBuilder()
                            .withNewHttpGet()
                            .withHost("169.254.169.254")
                            .withPath("/")
                            .withPort(new IntOrString(80))
                            .endHttpGet()
                            .build())),
        breach("securityContext is required", p -> main(p).setSecurityContext(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breaches")
  void eachBreachIsReported(String expected, Consumer<PodSpec> breach) {
    Deployment deployment = serviceDeployment();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertEquals(List.of(), PodSecurity.violations(pod));
    breach.accept(pod);
    List<String> violations = PodSecurity.violations(List.of(deployment));
    assertFalse(violations.isEmpty(), expected);
    assertTrue(violations.stream().anyMatch(v -> v.contains(expected)), violations.toString());
    assertTrue(violations.get(0).startsWith("Deployment/app: "), violations.toString());
  }

  private static Arguments breach(String expected, Consumer<PodSpec> breach) {
    return Arguments.of(expected, breach);
  }

  private static io.fabric8.kubernetes.api.model.Container main(PodSpec pod) {
    return pod.getContainers().get(0);
  }

  private static Deployment serviceDeployment() {
    return Renderer.render(RenderFixtures.input(Workload.SERVICE, RenderFixtures.spec())).stream()
        .map(Desired::resource)
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /** A job request body (an update body has no type: a processing service, like its example). */
  private static RenderInput input(JsonNode body) {
    JobType type =
        body.has("type")
            ? JobType.valueOf(body.get("type").asText().toUpperCase())
            : JobType.PROCESSING;
    JsonNode spec = body.get("spec");
    Workload workload =
        body.has("workload")
            ? Workload.valueOf(body.get("workload").asText().toUpperCase())
            : spec.has("flink")
                ? Workload.FLINK
                : spec.has("spark") ? Workload.SPARK : type.defaultWorkload();
    return input(type, workload, SpecCodec.spec(spec.toString()));
  }

  private static RenderInput input(JobType type, Workload workload, JobSpec spec) {
    List<RenderInput.RunInput> runs =
        workload.isBatch() ? List.of(new RenderInput.RunInput(1, 1, null, null, true)) : List.of();
    return new RenderInput(
        RenderFixtures.ID,
        "data",
        "job-" + workload.name().toLowerCase(),
        type,
        workload,
        1,
        spec,
        runs,
        Map.of());
  }
}
