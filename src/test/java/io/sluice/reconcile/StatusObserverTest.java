package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sluice.render.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which objects' events make the status observer read a job's status again, and which part. */
class StatusObserverTest {
  @Test
  void aWorkloadAndItsPodsFeedReadiness() {
    assertEquals("replicas", StatusObserver.what(named(new Deployment(), null)));
    assertEquals("replicas", StatusObserver.what(named(new StatefulSet(), null)));
    assertEquals("replicas", StatusObserver.what(named(new Pod(), Map.of("app", "web"))));
    assertEquals("replicas", StatusObserver.what(named(new Pod(), null)));
  }

  @Test
  void aRunsJobAndItsPodsFeedThatRun() {
    assertEquals("job:x", StatusObserver.what(named(new Job(), null)));
    assertEquals(
        "job:ingest-3",
        StatusObserver.what(named(new Pod(), Map.of(Labels.KUBERNETES_JOB_NAME, "ingest-3"))));
    assertEquals("run:3", StatusObserver.what(named(new Pod(), Map.of(Labels.RUN, "3"))));
  }

  @Test
  void configServicesClaimsAutoscalersAndSchedulesFeedNoStatus() {
    // Their events only repeated the refresh their workload's own events ask for.
    assertNull(StatusObserver.what(named(new ConfigMap(), null)));
    assertNull(StatusObserver.what(named(new Service(), null)));
    assertNull(StatusObserver.what(named(new PersistentVolumeClaim(), null)));
    assertNull(StatusObserver.what(named(new HorizontalPodAutoscaler(), null)));
    assertNull(StatusObserver.what(named(new CronJob(), null)));
  }

  private static HasMetadata named(HasMetadata object, Map<String, String> labels) {
    object.setMetadata(new ObjectMetaBuilder().withName("x").withLabels(labels).build());
    return object;
  }
}
