package io.sluice.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.SparkApplication;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import io.sluice.policy.PodSecurity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rendering of spark and flink jobs, every spec option, without Quarkus: the custom resources their
 * operators get, and the pods those operators would start from them.
 */
class EngineRenderTest {

  private static RenderInput spark(JobSpec spec, Integer scale, RenderInput.RunInput... runs) {
    return new RenderInput(
            RenderFixtures.ID,
            "data",
            "sessions",
            JobType.PROCESSING,
            Workload.SPARK,
            3,
            spec,
            List.of(runs),
            Map.of())
        .withScale(scale, false);
  }

  private static RenderInput flink(JobSpec spec, Integer scale, boolean suspended) {
    return new RenderInput(
            RenderFixtures.ID,
            "data",
            "stream",
            JobType.PROCESSING,
            Workload.FLINK,
            2,
            spec,
            List.of(),
            Map.of())
        .withScale(scale, suspended);
  }

  private static SparkApplication only(List<Desired> desired) {
    return desired.stream()
        .map(Desired::resource)
        .filter(SparkApplication.class::isInstance)
        .map(SparkApplication.class::cast)
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one SparkApplication");
            })
        .orElseThrow();
  }

  @Test
  void aSparkRunIsOneSparkApplicationWithEveryOption() {
    RenderInput job =
        spark(
            RenderFixtures.spec(RenderFixtures.SPARK),
            null,
            new RenderInput.RunInput(
                7, 3, null, List.of(new JobSpec.EnvVar("DAY", "2026-12-01")), true));
    List<Desired> desired = Renderer.render(job);
    assertEquals(
        List.of("PersistentVolumeClaim", "ConfigMap", "SparkApplication"),
        desired.stream().map(Desired::kind).toList(),
        "claims and config first, then the run's application; nothing long-running");
    SparkApplication app = only(desired);
    assertEquals("sessions-7", app.getMetadata().getName());
    assertEquals("7", app.getMetadata().getLabels().get(Labels.RUN));
    assertEquals("3", app.getMetadata().getAnnotations().get(Labels.REVISION_ANNOTATION));
    SparkApplication.Spec s = app.getSpec();
    assertEquals("Scala", s.type);
    assertEquals("cluster", s.mode);
    assertEquals("3.5.3", s.sparkVersion);
    assertEquals("apache/spark:3.5.3", s.image);
    assertEquals("org.apache.spark.examples.SparkPi", s.mainClass);
    assertEquals("local:///opt/spark/examples/jars/spark-examples.jar", s.mainApplicationFile);
    assertEquals(List.of("1000"), s.arguments);
    assertEquals(Map.of("spark.sql.shuffle.partitions", "64"), s.sparkConf);
    assertEquals(Map.of("fs.s3a.endpoint", "http://minio:9000"), s.hadoopConf);
    assertEquals(SparkApplications.TIME_TO_LIVE_SECONDS, s.timeToLiveSeconds);
    assertEquals("OnFailure", s.restartPolicy.type);
    assertEquals(2, s.restartPolicy.onFailureRetries);
    assertEquals(30L, s.restartPolicy.onFailureRetryInterval);
    assertEquals(1, s.restartPolicy.onSubmissionFailureRetries);
    assertEquals(10L, s.restartPolicy.onSubmissionFailureRetryInterval);
    assertNull(s.dynamicAllocation);
    assertEquals(
        List.of(ConfigMaps.VOLUME, "scratch"), s.volumes.stream().map(v -> v.getName()).toList());
    assertEquals("sessions.scratch", s.volumes.get(1).getPersistentVolumeClaim().getClaimName());

    assertEquals(2, s.driver.cores);
    assertEquals("2g", s.driver.memory);
    assertEquals("512m", s.driver.memoryOverhead);
    assertEquals(4, s.executor.instances);
    assertEquals(3, s.executor.cores);
    assertEquals("8g", s.executor.memory);
    for (SparkApplication.PodSpec pod : List.of(s.driver, s.executor)) {
      assertEquals("7", pod.labels.get(Labels.RUN));
      assertEquals("data", pod.labels.get("team"));
      assertEquals(RenderFixtures.ID.toString(), pod.labels.get(Labels.JOB_ID));
      assertEquals("data-eng", pod.annotations.get("acme.io/owner"));
      Map<String, String> env = new java.util.LinkedHashMap<>();
      pod.env.forEach(e -> env.put(e.getName(), e.getValue()));
      assertEquals("s3a://w/out", env.get("OUTPUT"));
      assertEquals("2026-12-01", env.get("DAY"), "a run's env overrides reach every pod");
      assertEquals("7", env.get("SLUICE_RUN"));
      assertEquals("3", env.get("SLUICE_REVISION"));
      assertEquals(2, pod.envFrom.size(), "config as env, then the Secret");
      assertEquals("warehouse-s3", pod.envFrom.get(1).getSecretRef().getName());
      assertEquals(
          List.of(ConfigMaps.MOUNT_PATH, "/scratch"),
          pod.volumeMounts.stream().map(m -> m.getMountPath()).toList());
      assertEquals(Map.of("pool", "spark"), pod.nodeSelector);
      assertEquals("dedicated", pod.tolerations.get(0).getKey());
      assertTrue(pod.podSecurityContext.getRunAsNonRoot());
      assertEquals(185L, pod.podSecurityContext.getRunAsUser());
      assertEquals(185L, pod.podSecurityContext.getFsGroup());
      assertFalse(pod.securityContext.getAllowPrivilegeEscalation());
      assertEquals(List.of("ALL"), pod.securityContext.getCapabilities().getDrop());
    }
    assertEquals("spark", s.driver.serviceAccount);
    assertNull(s.executor.serviceAccount, "executors run as the namespace's default account");
    assertTrue(s.driver.template.getSpec().getAutomountServiceAccountToken());
    assertFalse(
        s.executor.template.getSpec().getAutomountServiceAccountToken(),
        "only the driver, which asks for executors, gets the token");
  }

  @Test
  void aRunsArgsReplaceTheApplicationsArguments() {
    RenderInput job =
        spark(
            RenderFixtures.spec(RenderFixtures.SPARK),
            null,
            new RenderInput.RunInput(1, 3, List.of("50"), null, true));
    assertEquals(List.of("50"), only(Renderer.render(job)).getSpec().arguments);
  }

  @Test
  void defaultsAreSparksAndScaleSetsTheExecutorsOfNewRuns() {
    JobSpec minimal =
        RenderFixtures.spec(
            """
            {"image": "apache/spark:3.5.3", "serviceAccountName": "spark",
             "automountServiceAccountToken": true,
             "spark": {"type": "Python", "mainApplicationFile": "local:///app/main.py",
                       "sparkVersion": "3.5.3"}}
            """);
    SparkApplication app =
        only(Renderer.render(spark(minimal, 12, new RenderInput.RunInput(1, 3, null, null, true))));
    assertEquals(1, app.getSpec().driver.cores);
    assertEquals("1g", app.getSpec().driver.memory);
    assertEquals(12, app.getSpec().executor.instances, "the scaled count, not Spark's default 2");
    assertEquals("Never", app.getSpec().restartPolicy.type, "a failed run is failed");
    assertNull(app.getSpec().mainClass);
    assertTrue(app.getSpec().volumes.isEmpty(), "no config, no claims: no volumes");
    SparkApplication unscaled =
        only(
            Renderer.render(
                spark(minimal, null, new RenderInput.RunInput(1, 3, null, null, true))));
    assertEquals(2, unscaled.getSpec().executor.instances);
  }

  @Test
  void dynamicAllocationTracksShufflesAndScaleSetsItsMaximum() {
    JobSpec spec =
        RenderFixtures.with(
            RenderFixtures.spec(RenderFixtures.SPARK),
            "spark",
            Map.of(
                "type",
                "Java",
                "mainClass",
                "io.acme.Main",
                "mainApplicationFile",
                "s3a://jars/app.jar",
                "sparkVersion",
                "3.5.3",
                "dynamicAllocation",
                Map.of("minExecutors", 1, "maxExecutors", 10, "initialExecutors", 2)));
    SparkApplication app =
        only(Renderer.render(spark(spec, 30, new RenderInput.RunInput(1, 3, null, null, true))));
    SparkApplication.DynamicAllocation d = app.getSpec().dynamicAllocation;
    assertTrue(d.enabled);
    assertTrue(d.shuffleTrackingEnabled, "no external shuffle service on Kubernetes");
    assertEquals(1, d.minExecutors);
    assertEquals(2, d.initialExecutors);
    assertEquals(30, d.maxExecutors, "scale sets the maximum");
    assertNull(app.getSpec().executor.instances, "the operator sizes from dynamic allocation");
  }

  @Test
  void sparkPodsMeetTheRestrictedStandardAndTheApiServersRules() {
    SparkApplication app =
        only(
            Renderer.render(
                spark(
                    RenderFixtures.spec(RenderFixtures.SPARK),
                    null,
                    new RenderInput.RunInput(1, 3, null, null, true))));
    List<EnginePods.Role> roles = EnginePods.of(app);
    assertEquals(List.of("driver", "executor"), roles.stream().map(EnginePods.Role::name).toList());
    assertEquals(4, roles.get(1).count());
    var driver = roles.get(0).template();
    assertEquals("spark-kubernetes-driver", driver.getSpec().getContainers().get(0).getName());
    assertEquals(
        "2560Mi",
        driver.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString(),
        "heap 2g and overhead 512m");
    var executor = roles.get(1).template();
    assertEquals(
        "9011Mi",
        executor
            .getSpec()
            .getContainers()
            .get(0)
            .getResources()
            .getRequests()
            .get("memory")
            .toString(),
        "heap 8g and Spark's default overhead (10%)");
    assertEquals(List.of(), PodSecurity.violations(List.of(app)));
    assertEquals(List.of(), ApiServerRules.violations(List.of(app)));
  }

  @Test
  void aFlinkJobIsOneFlinkDeploymentWithEveryOption() {
    List<Desired> desired =
        Renderer.render(flink(RenderFixtures.spec(RenderFixtures.FLINK), null, false));
    assertEquals(
        List.of("PersistentVolumeClaim", "ConfigMap", "FlinkDeployment"),
        desired.stream().map(Desired::kind).toList());
    FlinkDeployment d = (FlinkDeployment) desired.get(2).resource();
    assertEquals("stream", d.getMetadata().getName());
    FlinkDeployment.Spec s = d.getSpec();
    assertEquals("flink:1.20", s.image);
    assertEquals("flink", s.serviceAccount);
    assertEquals("v1_20", s.flinkVersion);
    assertEquals("native", s.mode);
    assertEquals("local:///opt/flink/usrlib/sessions.jar", s.job.jarURI);
    assertEquals("io.acme.Sessions", s.job.entryClass);
    assertEquals(List.of("--window", "60"), s.job.args);
    assertEquals(6, s.job.parallelism);
    assertEquals("savepoint", s.job.upgradeMode);
    assertEquals("running", s.job.state);
    assertEquals(0.5, s.jobManager.resource.cpu);
    assertEquals("1g", s.jobManager.resource.memory);
    assertEquals(1, s.jobManager.replicas);
    assertEquals(2.0, s.taskManager.resource.cpu);
    assertEquals("4g", s.taskManager.resource.memory);
    assertNull(s.taskManager.replicas, "the operator derives TaskManagers from the parallelism");
    assertEquals(
        Map.of(
            "execution.checkpointing.interval", "60s",
            "taskmanager.numberOfTaskSlots", "4",
            "state.checkpoints.dir", "s3://flink/cp",
            "state.savepoints.dir", "s3://flink/sp"),
        s.flinkConfiguration);
    var main = s.podTemplate.getSpec().getContainers().get(0);
    assertEquals("flink-main-container", main.getName());
    assertEquals("clicks", main.getEnv().get(0).getValue());
    assertTrue(main.getEnv().stream().anyMatch(e -> e.getName().equals("SLUICE_REVISION")));
    assertEquals("kafka-credentials", main.getEnvFrom().get(0).getSecretRef().getName());
    assertEquals(
        List.of(ConfigMaps.MOUNT_PATH, "/spill"),
        main.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
    assertFalse(main.getSecurityContext().getAllowPrivilegeEscalation());
    assertTrue(s.podTemplate.getSpec().getSecurityContext().getRunAsNonRoot());
    assertEquals("stream", s.podTemplate.getMetadata().getLabels().get(Labels.NAME));
    assertEquals("stream-eng", s.podTemplate.getMetadata().getAnnotations().get("acme.io/owner"));
    assertFalse(s.podTemplate.getSpec().getAutomountServiceAccountToken());
    assertTrue(s.jobManager.podTemplate.getSpec().getAutomountServiceAccountToken());
    assertFalse(s.taskManager.podTemplate.getSpec().getAutomountServiceAccountToken());

    List<EnginePods.Role> roles = EnginePods.of(d);
    assertEquals(1, roles.get(0).count());
    assertEquals(2, roles.get(1).count(), "parallelism 6 over 4 slots: 2 TaskManagers");
    assertTrue(roles.get(0).template().getSpec().getAutomountServiceAccountToken());
    assertFalse(roles.get(1).template().getSpec().getAutomountServiceAccountToken());
    assertEquals(List.of(), PodSecurity.violations(List.of(d)));
    assertEquals(List.of(), ApiServerRules.violations(List.of(d)));
  }

  @Test
  void scaleSetsTheParallelismAndZeroOrSuspendSuspendsTheJob() {
    JobSpec spec = RenderFixtures.spec(RenderFixtures.FLINK);
    FlinkDeployment scaled = FlinkDeployments.render(flink(spec, 12, false));
    assertEquals(12, scaled.getSpec().job.parallelism);
    assertEquals("running", scaled.getSpec().job.state);
    FlinkDeployment zero = FlinkDeployments.render(flink(spec, 0, false));
    assertEquals("suspended", zero.getSpec().job.state);
    assertEquals(6, zero.getSpec().job.parallelism, "resuming restores the parallelism");
    assertEquals("suspended", FlinkDeployments.render(flink(spec, null, true)).getSpec().job.state);
    assertEquals(0, EnginePods.of(zero).get(1).count());
  }

  @Test
  void flinkTwoNamesItsDirectoriesDifferentlyAndLastStateTurnsOnKubernetesHa() {
    JobSpec spec =
        RenderFixtures.with(
            RenderFixtures.spec(RenderFixtures.FLINK),
            "flink",
            Map.of(
                "jarURI", "local:///opt/flink/usrlib/sessions.jar",
                "flinkVersion", "v2_0",
                "upgradeMode", "last-state",
                "checkpointDirectory", "s3://flink/cp"));
    FlinkDeployment d = FlinkDeployments.render(flink(spec, null, false));
    Map<String, String> conf = d.getSpec().flinkConfiguration;
    assertEquals("s3://flink/cp", conf.get("execution.checkpointing.dir"));
    assertEquals("kubernetes", conf.get("high-availability.type"));
    assertEquals("s3://flink/cp/ha", conf.get("high-availability.storageDir"));
    assertEquals("1", conf.get("taskmanager.numberOfTaskSlots"));
    assertEquals("last-state", d.getSpec().job.upgradeMode);
    assertEquals(1, d.getSpec().job.parallelism);
    assertEquals(1.0, d.getSpec().jobManager.resource.cpu);
    assertEquals("2048m", d.getSpec().taskManager.resource.memory);
  }

  @Test
  void renderingIsPure() {
    RenderInput job =
        spark(
            RenderFixtures.spec(RenderFixtures.SPARK),
            null,
            new RenderInput.RunInput(2, 3, null, null, true));
    String a = io.fabric8.kubernetes.client.utils.Serialization.asJson(Renderer.render(job));
    String b = io.fabric8.kubernetes.client.utils.Serialization.asJson(Renderer.render(job));
    assertEquals(a, b);
    List<HasMetadata> flinkObjects =
        Renderer.render(flink(RenderFixtures.spec(RenderFixtures.FLINK), null, false)).stream()
            .map(Desired::resource)
            .toList();
    assertEquals(
        io.fabric8.kubernetes.client.utils.Serialization.asJson(flinkObjects),
        io.fabric8.kubernetes.client.utils.Serialization.asJson(
            Renderer.render(flink(RenderFixtures.spec(RenderFixtures.FLINK), null, false)).stream()
                .map(Desired::resource)
                .toList()));
  }
}
