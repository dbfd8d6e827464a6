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
}
