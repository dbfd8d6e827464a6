package io.sluice.render;

import static io.sluice.render.RenderFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sluice.job.JobSpec;
import io.sluice.job.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendering is a pure function: these tests need no cluster, database or Quarkus. */
class RendererTest {
  /** The workloads Sluice renders pods for; Spark and Flink are in EngineRenderTest. */
  private static final List<Workload> POD_WORKLOADS =
      java.util.Arrays.stream(Workload.values()).filter(Workload::isPods).toList();

  @Test
  void serviceRendersClaimsConfigDeploymentAndAServiceOwnedByIt() {
    List<Desired> out = Renderer.render(input(Workload.SERVICE, with(spec(), "replicas", 3)));

    assertEquals(
        List.of("PersistentVolumeClaim", "ConfigMap", "Deployment", "Service"), kinds(out));
    Deployment d = (Deployment) out.get(2).resource();
    assertEquals(3, d.getSpec().getReplicas());
    assertEquals(Map.of(Labels.JOB_ID, ID.toString()), d.getSpec().getSelector().getMatchLabels());
    assertEquals(
        d.getSpec().getSelector().getMatchLabels().get(Labels.JOB_ID),
        d.getSpec().getTemplate().getMetadata().getLabels().get(Labels.JOB_ID));
    assertEquals("Always", d.getSpec().getTemplate().getSpec().getRestartPolicy());
    Desired service = out.get(3);
    assertEquals(new Desired.Owner("apps/v1", "Deployment", "app"), service.owner());
    assertEquals(
        "http",
        ((Service) service.resource()).getSpec().getPorts().get(0).getTargetPort().getStrVal());
  }

  @Test
  void serviceWithoutPortsHasNoService() {
    JobSpec noPorts = spec("{\"image\": \"img\"}");
    assertEquals(List.of("Deployment"), kinds(Renderer.render(input(Workload.SERVICE, noPorts))));
  }

  @Test
  void everyObjectCarriesSluicesLabelsAndTheRevision() {
    for (Workload workload : POD_WORKLOADS) {
      JobSpec spec =
          workload == Workload.SCHEDULED ? with(spec(), "schedule", "0 3 * * *") : spec();
      for (Desired d :
          Renderer.render(
              input(
                  workload,
                  spec,
                  List.of(new RenderInput.RunInput(1, 3, null, null, true)),
                  Map.of()))) {
        Map<String, String> labels = d.resource().getMetadata().getLabels();
        assertEquals("sluice", labels.get(Labels.MANAGED_BY), d.kind());
        assertEquals("app", labels.get(Labels.NAME), d.kind());
        assertEquals(ID.toString(), labels.get(Labels.JOB_ID), d.kind());
        assertEquals("data", labels.get("team"), d.kind());
        if (!(d.resource() instanceof PersistentVolumeClaim)) {
          assertEquals(
              "3",
              d.resource().getMetadata().getAnnotations().get(Labels.REVISION_ANNOTATION),
              d.kind());
        }
      }
    }
  }

  @Test
  void podTemplateCarriesEveryOptionOfTheSpec() {
    Deployment d = (Deployment) Renderer.render(input(Workload.SERVICE, spec())).get(2).resource();
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertEquals("main", c.getName());
    assertEquals("ghcr.io/acme/app:1.0", c.getImage());
    assertEquals(List.of("/bin/app"), c.getCommand());
    assertEquals(List.of("--verbose"), c.getArgs());
    assertEquals("debug", env(c, "LOG_LEVEL"));
    assertEquals("app", env(c, "SLUICE_JOB"));
    assertEquals("3", env(c, "SLUICE_REVISION"));
    assertEquals("250m", c.getResources().getRequests().get("cpu").toString());
    assertEquals("1Gi", c.getResources().getLimits().get("memory").toString());
    assertEquals(8080, c.getPorts().get(0).getContainerPort());
    assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals(3, c.getReadinessProbe().getFailureThreshold());
    assertNull(c.getLivenessProbe());
    assertEquals("db-credentials", c.getEnvFrom().get(1).getSecretRef().getName());
    assertTrue(c.getEnvFrom().get(0).getConfigMapRef().getName().startsWith("app-config-"));
    assertEquals(Map.of("disktype", "ssd"), pod.getNodeSelector());
    assertEquals("dedicated", pod.getTolerations().get(0).getKey());
    assertEquals("app-sa", pod.getServiceAccountName());
    assertTrue(pod.getAutomountServiceAccountToken());
    // A ServiceAccount alone brings no API token into the pod: only asking for it does.
    io.fabric8.kubernetes.api.model.PodSpec withoutToken =
        Workloads.podTemplate(
                RenderFixtures.input(
                    io.sluice.job.Workload.SERVICE,
                    RenderFixtures.spec(
                        RenderFixtures.FULL.replace(
                            ", \"automountServiceAccountToken\": true", ""))))
            .getSpec();
    assertEquals("app-sa", withoutToken.getServiceAccountName());
    assertFalse(withoutToken.getAutomountServiceAccountToken());
    assertEquals(
        "data-eng", d.getSpec().getTemplate().getMetadata().getAnnotations().get("acme.io/owner"));
    assertEquals("/etc/sluice/config", c.getVolumeMounts().get(0).getMountPath());
    assertTrue(c.getVolumeMounts().get(0).getReadOnly());
    assertEquals("/data", c.getVolumeMounts().get(1).getMountPath());
    assertEquals("app.data", pod.getVolumes().get(1).getPersistentVolumeClaim().getClaimName());
  }

  @Test
  void everyPodMeetsTheRestrictedPodSecurityStandard() {
    for (Workload workload : POD_WORKLOADS) {
      JobSpec spec = workload == Workload.SCHEDULED ? with(spec(), "schedule", "@daily") : spec();
      for (PodSpec pod :
          pods(
              Renderer.render(
                  input(
                      workload,
                      spec,
                      List.of(new RenderInput.RunInput(1, 3, null, null, true)),
                      Map.of())))) {
        assertTrue(pod.getSecurityContext().getRunAsNonRoot(), workload.toString());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertNotEquals(Boolean.TRUE, pod.getHostNetwork());
        assertNotEquals(Boolean.TRUE, pod.getHostPID());
        assertNotEquals(Boolean.TRUE, pod.getHostIPC());
        for (Container c : pod.getContainers()) {
          assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
          assertFalse(c.getSecurityContext().getPrivileged());
          assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
          assertTrue(
              c.getSecurityContext().getCapabilities().getAdd() == null
                  || c.getSecurityContext().getCapabilities().getAdd().isEmpty());
          assertEquals("RuntimeDefault", c.getSecurityContext().getSeccompProfile().getType());
          c.getPorts().forEach(p -> assertNull(p.getHostPort()));
        }
        pod.getVolumes().forEach(v -> assertNull(v.getHostPath()));
      }
    }
  }

  @Test
  void admissionChecksThePodTemplateTheWorkloadCarries() {
    for (Workload workload : POD_WORKLOADS) {
      JobSpec spec = workload == Workload.SCHEDULED ? with(spec(), "schedule", "@daily") : spec();
      RenderInput job =
          input(
              workload, spec, List.of(new RenderInput.RunInput(1, 3, null, null, true)), Map.of());
      PodSpec checked = Workloads.podTemplate(job).getSpec();
      PodSpec rendered = pods(Renderer.render(job)).get(0);
      if (workload == Workload.BATCH) {
        // A run's pod differs only by its run's environment.
        checked.getContainers().forEach(c -> c.setEnv(null));
        rendered.getContainers().forEach(c -> c.setEnv(null));
      }
      assertEquals(rendered, checked, workload.toString());
    }
  }

  @Test
  void withoutAServiceAccountNoTokenIsMounted() {
    JobSpec bare = spec("{\"image\": \"img\"}");
    Deployment d = (Deployment) Renderer.render(input(Workload.SERVICE, bare)).get(0).resource();
    assertFalse(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
  }

  @Test
  void configMapNameFollowsTheContentSoAChangeRollsThePods() {
    ConfigMap a = ConfigMaps.render(input(Workload.SERVICE, spec()), spec(), 3).orElseThrow();
    ConfigMap same =
        ConfigMaps.render(input(Workload.SERVICE, spec()), with(spec(), "image", "other"), 4)
            .orElseThrow();
    ConfigMap changed =
        ConfigMaps.render(
                input(Workload.SERVICE, spec()),
                with(spec(), "config", Map.of("app.yaml", "a: 2\n")),
                4)
            .orElseThrow();
    assertEquals(a.getMetadata().getName(), same.getMetadata().getName());
    assertNotEquals(a.getMetadata().getName(), changed.getMetadata().getName());
    assertTrue(a.getImmutable());
    assertEquals("a: 1\n", a.getData().get("app.yaml"));
    assertTrue(
        ConfigMaps.render(input(Workload.SERVICE, spec()), with(spec(), "config", null), 1)
            .isEmpty());
  }

  @Test
  void statefulRendersClaimTemplatesAndAHeadlessServiceButNoStandaloneClaims() {
    List<Desired> out = Renderer.render(input(Workload.STATEFUL, spec()));
    assertEquals(List.of("ConfigMap", "StatefulSet", "Service"), kinds(out));
    StatefulSet sts = (StatefulSet) out.get(1).resource();
    PersistentVolumeClaim template = sts.getSpec().getVolumeClaimTemplates().get(0);
    assertEquals("data", template.getMetadata().getName());
    assertEquals("fast", template.getSpec().getStorageClassName());
    assertEquals(List.of("ReadWriteOnce"), template.getSpec().getAccessModes());
    assertEquals("10Gi", template.getSpec().getResources().getRequests().get("storage").toString());
    assertTrue(
        sts.getSpec().getTemplate().getSpec().getVolumes().stream()
            .noneMatch(v -> v.getPersistentVolumeClaim() != null));
    assertEquals("None", ((Service) out.get(2).resource()).getSpec().getClusterIP());
    assertEquals("app", sts.getSpec().getServiceName());
  }

  @Test
  void scheduledRendersACronJobWithDefaultsAndOptions() {
    CronJob cron =
        (CronJob)
            only(
                Renderer.render(
                    input(
                        Workload.SCHEDULED,
                        with(
                            spec(),
                            "schedule",
                            "0  3 * * *",
                            "batch",
                            Map.of(
                                "parallelism",
                                2,
                                "completions",
                                4,
                                "backoffLimit",
                                1,
                                "activeDeadlineSeconds",
                                600,
                                "ttlSecondsAfterFinished",
                                3600)))),
                CronJob.class);
    assertEquals("0 3 * * *", cron.getSpec().getSchedule());
    assertEquals("Forbid", cron.getSpec().getConcurrencyPolicy());
    assertEquals(3, cron.getSpec().getSuccessfulJobsHistoryLimit());
    assertEquals(1, cron.getSpec().getFailedJobsHistoryLimit());
    assertFalse(cron.getSpec().getSuspend());
    var job = cron.getSpec().getJobTemplate().getSpec();
    assertEquals(2, job.getParallelism());
    assertEquals(4, job.getCompletions());
    assertEquals(1, job.getBackoffLimit());
    assertEquals(600L, job.getActiveDeadlineSeconds());
    assertEquals(3600, job.getTtlSecondsAfterFinished());
    assertEquals(
        ID.toString(),
        cron.getSpec().getJobTemplate().getMetadata().getLabels().get(Labels.JOB_ID));
  }

  @Test
  void batchRendersAJobPerRunFromTheRunsOwnRevision() {
    JobSpec old =
        with(spec(), "image", "ghcr.io/acme/app:0.9", "config", Map.of("app.yaml", "old: true\n"));
    List<RenderInput.RunInput> runs =
        List.of(
            new RenderInput.RunInput(
                7,
                2,
                List.of("--date", "x"),
                List.of(new JobSpec.EnvVar("LOG_LEVEL", "trace")),
                true),
            new RenderInput.RunInput(8, 3, null, null, false));
    List<Desired> out = Renderer.render(input(Workload.BATCH, spec(), runs, Map.of(2, old)));

    assertEquals(List.of("PersistentVolumeClaim", "ConfigMap", "ConfigMap", "Job"), kinds(out));
    Job job = (Job) out.get(3).resource();
    assertEquals("app-7", job.getMetadata().getName());
    assertEquals("7", job.getMetadata().getLabels().get(Labels.RUN));
    assertEquals("2", job.getMetadata().getAnnotations().get(Labels.REVISION_ANNOTATION));
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("ghcr.io/acme/app:0.9", c.getImage());
    assertEquals(List.of("--date", "x"), c.getArgs());
    assertEquals("trace", env(c, "LOG_LEVEL"));
    assertEquals("7", env(c, "SLUICE_RUN"));
    assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
    assertEquals(3, job.getSpec().getBackoffLimit(), "Sluice's default backoff limit");
    assertEquals(
        86400,
        job.getSpec().getTtlSecondsAfterFinished(),
        "finished Jobs are cleaned up after a day");
    assertEquals("7", job.getSpec().getTemplate().getMetadata().getLabels().get(Labels.RUN));
  }

  @Test
  void renderingIsDeterministic() {
    RenderInput input = input(Workload.SERVICE, spec());
    assertEquals(
        Renderer.render(input).stream()
            .map(d -> io.fabric8.kubernetes.client.utils.Serialization.asYaml(d.resource()))
            .toList(),
        Renderer.render(input).stream()
            .map(d -> io.fabric8.kubernetes.client.utils.Serialization.asYaml(d.resource()))
            .toList());
  }

  @Test
  void derivedNamesNeverCollideAcrossJobs() {
    assertNotEquals(Names.claim("a", "b-c"), Names.claim("a-b", "c"));
    assertEquals("app-12", Names.runJob("app", 12));
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  private static List<String> kinds(List<Desired> out) {
    return out.stream().map(Desired::kind).toList();
  }

  private static HasMetadata only(List<Desired> out, Class<?> kind) {
    return out.stream().map(Desired::resource).filter(kind::isInstance).findFirst().orElseThrow();
  }

  static List<PodSpec> pods(List<Desired> out) {
    List<PodSpec> pods = new java.util.ArrayList<>();
    for (Desired d : out) {
      if (d.resource() instanceof Deployment x) {
        pods.add(x.getSpec().getTemplate().getSpec());
      } else if (d.resource() instanceof StatefulSet x) {
        pods.add(x.getSpec().getTemplate().getSpec());
      } else if (d.resource() instanceof CronJob x) {
        pods.add(x.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
      } else if (d.resource() instanceof Job x) {
        pods.add(x.getSpec().getTemplate().getSpec());
      }
    }
    assertFalse(pods.isEmpty());
    return pods;
  }
}
