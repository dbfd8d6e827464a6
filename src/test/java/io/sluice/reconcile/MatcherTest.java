package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.render.RenderInput;
import io.sluice.render.Workloads;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private final Deployment desired =
      Workloads.deployment(
          new RenderInput(
              UUID.randomUUID(),
              "ns",
              "app",
              io.sluice.job.JobType.PROCESSING,
              io.sluice.job.Workload.SERVICE,
              1,
              io.sluice.job.SpecCodec.spec(
                  "{\"image\": \"img:1\", \"replicas\": 2, \"resources\": {\"requests\": {\"cpu\": \"1000m\"}}}"),
              List.of(),
              Map.of()));

  @Test
  void fieldsTheServerAddsAreNotDrift() {
    Deployment actual = Serialization.clone(desired);
    actual.getMetadata().setUid("u-1");
    actual.getMetadata().setResourceVersion("42");
    actual.getMetadata().getAnnotations().put("deployment.kubernetes.io/revision", "3");
    actual.getSpec().setRevisionHistoryLimit(10);
    actual
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setImagePullPolicy("IfNotPresent");
    actual
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("cpu", new io.fabric8.kubernetes.api.model.Quantity("1"));
    actual.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(2).build());
    assertTrue(Matcher.matches(desired, actual));
  }

  @Test
  void changedAddedOrRemovedFieldsAreDrift() {
    Deployment image = Serialization.clone(desired);
    image.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil");
    assertFalse(Matcher.matches(desired, image));

    Deployment replicas =
        new DeploymentBuilder(desired).editSpec().withReplicas(5).endSpec().build();
    assertFalse(Matcher.matches(desired, replicas));

    Deployment sidecar = Serialization.clone(desired);
    sidecar
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .add(
            new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("miner")
                .withImage("x")
                .build());
    assertFalse(Matcher.matches(desired, sidecar));

    Deployment label = Serialization.clone(desired);
    label.getMetadata().getLabels().remove("sluice.io/job-id");
    assertFalse(Matcher.matches(desired, label));

    Deployment privileged = Serialization.clone(desired);
    privileged
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getSecurityContext()
        .setAllowPrivilegeEscalation(true);
    assertFalse(Matcher.matches(desired, privileged));
  }

  /** The main container of a Deployment. */
  private static io.fabric8.kubernetes.api.model.Container main(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void aCachedWorkloadKeepsADigestOfItsContainersAndStillComparesExactly() {
    Deployment cached = SlimStore.reduce(Serialization.clone(desired));
    assertEquals(1, main(cached).getEnv().size());
    assertEquals(ContainerDigest.MARKER, main(cached).getEnv().get(0).getName());
    assertNull(main(cached).getArgs());
    assertTrue(Matcher.matches(desired, cached), "what was applied, as the cache keeps it");
    assertEquals(
        Serialization.asJson(cached),
        Serialization.asJson(SlimStore.reduce(Serialization.clone(cached))),
        "reducing again changes nothing");

    Deployment env = Serialization.clone(desired);
    main(env).getEnv().get(0).setValue("edited");
    assertFalse(Matcher.matches(desired, SlimStore.reduce(env)), "an edited variable is drift");

    Deployment args = Serialization.clone(desired);
    main(args).setArgs(List.of("--evil"));
    assertFalse(Matcher.matches(desired, SlimStore.reduce(args)), "added arguments are drift");

    // The API server drops empty values: an empty variable and a missing value are the same.
    Deployment empty = Serialization.clone(desired);
    main(empty).getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("EMPTY", "", null));
    Deployment stored = Serialization.clone(empty);
    List<io.fabric8.kubernetes.api.model.EnvVar> storedEnv = main(stored).getEnv();
    storedEnv.get(storedEnv.size() - 1).setValue(null);
    assertTrue(Matcher.matches(empty, SlimStore.reduce(stored)));
  }

  @Test
  void aCachedConfigMapKeepsNoDataAndAPodNoEnvironment() {
    var configMap =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName("cfg")
            .addToLabels("sluice.io/job-id", "x")
            .endMetadata()
            .withData(Map.of("big.txt", "x".repeat(100_000)))
            .build();
    SlimStore.reduce(configMap);
    assertNull(configMap.getData());
    assertEquals("x", configMap.getMetadata().getLabels().get("sluice.io/job-id"));
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("p")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .addNewEnv()
            .withName("SECRETISH")
            .withValue("x".repeat(10_000))
            .endEnv()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .endStatus()
            .build();
    SlimStore.reduce(pod);
    assertNull(pod.getSpec().getContainers().get(0).getEnv());
    assertEquals("Running", pod.getStatus().getPhase());
  }
}
