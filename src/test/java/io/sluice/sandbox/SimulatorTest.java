package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sluice.job.JobType;
import io.sluice.job.SpecCodec;
import io.sluice.job.Workload;
import io.sluice.render.RenderInput;
import io.sluice.render.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated kubelet and controllers, on their own, with time driven by the test. */
class SimulatorTest {
  private static final Duration START = Duration.ofSeconds(2);
  private static final Duration RUN = Duration.ofSeconds(5);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private Simulator simulator;
  // The test drives time, but the mock server stamps creationTimestamp with the real clock: start
  // ahead of it so that no pod looks created after the test's "now" (a fixed instant broke the
  // day the real clock passed it).
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(60);

  @BeforeEach
  void start() {
    server = SimulatedCluster.start();
    client = server.createClient();
    simulator = new Simulator(client, START, RUN, Duration.ofMillis(100));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void aJobsPodRunsAndSucceedsAndTheJobCompletesWithLogs() {
    client.resource(runJob("ingest", "ghcr.io/acme/ingest:1", 1)).create();

    simulator.step(t0);
    Pod pod = onlyPod("ingest-1");
    assertEquals("Pending", pod.getStatus().getPhase());
    simulator.step(t0.plus(START));
    assertEquals("Running", onlyPod("ingest-1").getStatus().getPhase());
    assertEquals(1, job("ingest-1").getStatus().getActive());
    simulator.step(t0.plus(START).plus(RUN));
    simulator.step(t0.plus(START).plus(RUN));

    assertEquals("Succeeded", onlyPod("ingest-1").getStatus().getPhase());
    Job done = job("ingest-1");
    assertEquals(1, done.getStatus().getSucceeded());
    assertEquals("Complete", done.getStatus().getConditions().get(0).getType());
    String log =
        client
            .pods()
            .inNamespace("data")
            .withName(pod.getMetadata().getName())
            .inContainer("main")
            .getLog();
    assertTrue(log.contains("Started container main"), log);
    assertTrue(
        events("ingest-1").stream().anyMatch(e -> e.getReason().equals("Scheduled")),
        "the scheduler says where the pod went");
    assertTrue(log.contains("Exited with code 0"), log);
  }

  @Test
  void anImageNamedToFailFailsUntilTheBackoffLimitAndTheJobFails() {
    client.resource(runJob("bad", "ghcr.io/acme/will-fail:1", 1)).create();
    Instant t = t0;
    for (int i = 0; i < 12; i++) {
      simulator.step(t);
      t = t.plus(START.plus(RUN));
    }
    Job failed = job("bad-1");
    assertEquals("Failed", failed.getStatus().getConditions().get(0).getType());
    assertEquals("BackoffLimitExceeded", failed.getStatus().getConditions().get(0).getReason());
    assertEquals(2, failed.getStatus().getFailed(), "backoffLimit 1: the first pod and one retry");
    Pod pod =
        client
            .pods()
            .inNamespace("data")
            .withLabel(Simulator.JOB_NAME_LABEL, "bad-1")
            .list()
            .getItems()
            .get(0);
    assertEquals(
        1, pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
  }

  @Test
  void aDeploymentGetsReadyPodsAndRollsToANewTemplate() {
    RenderInput v1 = input(Workload.SERVICE, "{\"image\":\"img:1\",\"replicas\":3}");
    client.resource(Workloads.deployment(v1)).create();

    simulator.step(t0);
    simulator.step(t0.plus(START));
    simulator.step(t0.plus(START));
    Deployment d = deployment();
    assertEquals(3, d.getStatus().getReadyReplicas());
    assertEquals(3, d.getStatus().getUpdatedReplicas());

    RenderInput v2 = input(Workload.SERVICE, "{\"image\":\"img:2\",\"replicas\":3}");
    client.resource(Workloads.deployment(v2)).update();
    Instant t1 = t0.plus(Duration.ofMinutes(1));
    simulator.step(t1);
    assertEquals(
        0,
        deployment().getStatus().getUpdatedReplicas() == 3
                && deployment().getStatus().getReadyReplicas() == 3
            ? 1
            : 0,
        "while the new pods start, the rollout is not complete");
    // One surge pod at a time (maxSurge 25% of 3, rounded up; maxUnavailable rounded down to 0).
    assertEquals(4, client.pods().inNamespace("data").list().getItems().size());
    Instant t = t1;
    for (int i = 0; i < 12 && !rolledOut(deployment()); i++) {
      t = t.plus(START);
      simulator.step(t);
      assertTrue(
          client.pods().inNamespace("data").list().getItems().size() <= 4,
          "never more than replicas + maxSurge pods");
      assertTrue(deployment().getStatus().getReadyReplicas() >= 3, "never below 3 ready");
    }
    d = deployment();
    assertEquals(3, d.getStatus().getReadyReplicas());
    assertEquals(3, d.getStatus().getUpdatedReplicas());
    assertEquals(
        3, client.pods().inNamespace("data").list().getItems().size(), "old pods are gone");
    assertTrue(
        client.pods().inNamespace("data").list().getItems().stream()
            .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("img:2")));
  }

  @Test
  void aFailingRolloutOfOneReplicaKeepsTheOldPodServingAndMissesItsDeadline() {
    String rollout = ",\"rollout\":{\"progressDeadlineSeconds\":5,\"autoRollback\":true}";
    client
        .resource(
            Workloads.deployment(
                input(Workload.SERVICE, "{\"image\":\"img:1\",\"replicas\":1" + rollout + "}")))
        .create();
    simulator.step(t0);
    simulator.step(t0.plus(START));
    simulator.step(t0.plus(START));
    assertTrue(rolledOut(deployment()));

    client
        .resource(
            Workloads.deployment(
                input(Workload.SERVICE, "{\"image\":\"img:crash\",\"replicas\":1" + rollout + "}")))
        .update();
    Instant t1 = t0.plus(Duration.ofMinutes(1));
    simulator.step(t1);
    simulator.step(t1.plusSeconds(1));
    simulator.step(t1.plusSeconds(2));
    var status = deployment().getStatus();
    assertEquals(2, status.getReplicas(), "the surged new pod and the old one");
    assertEquals(1, status.getUpdatedReplicas());
    assertEquals(1, status.getReadyReplicas(), "the ready one is the old one");
    assertEquals(
        io.sluice.job.JobPhase.PROGRESSING,
        io.sluice.reconcile.Observed.replicas(deployment()).phase());

    simulator.step(t1.plus(Duration.ofSeconds(20)));
    var progressing = deployment().getStatus().getConditions().get(0);
    assertEquals("False", progressing.getStatus());
    assertEquals("ProgressDeadlineExceeded", progressing.getReason());
    assertEquals(
        io.sluice.job.JobPhase.DEGRADED,
        io.sluice.reconcile.Observed.replicas(deployment()).phase());
  }

  private static boolean rolledOut(Deployment d) {
    return d.getStatus() != null && io.sluice.reconcile.Observed.replicas(d).rolledOut();
  }

  @Test
  void aCrashingServiceNeverBecomesReady() {
    client
        .resource(
            Workloads.deployment(
                input(Workload.SERVICE, "{\"image\":\"img:crash\",\"replicas\":1}")))
        .create();
    for (int i = 0; i < 5; i++) {
      simulator.step(t0.plus(START.plus(RUN).multipliedBy(i)));
    }
    assertEquals(0, deployment().getStatus().getReadyReplicas());
  }

  @Test
  void aStatefulSetGetsOrdinalPodsAndOneClaimPerReplica() {
    RenderInput db =
        input(
            Workload.STATEFUL,
            "{\"image\":\"postgres:16\",\"replicas\":2,\"volumes\":[{\"name\":\"data\",\"size\":\"1Gi\",\"mountPath\":\"/d\"}]}");
    client.resource(Workloads.statefulSet(db)).create();

    simulator.step(t0);
    simulator.step(t0.plus(START));
    simulator.step(t0.plus(START));
    simulator.step(t0.plus(START));

    StatefulSet s = client.apps().statefulSets().inNamespace("data").withName("app").get();
    assertEquals(2, s.getStatus().getReadyReplicas());
    assertNotNull(client.pods().inNamespace("data").withName("app-0").get());
    assertNotNull(client.pods().inNamespace("data").withName("app-1").get());
    assertEquals(
        "Bound",
        client
            .persistentVolumeClaims()
            .inNamespace("data")
            .withName("data-app-1")
            .get()
            .getStatus()
            .getPhase());
  }

  @Test
  void aCronJobStartsJobsOnSchedule() {
    var cron =
        client
            .resource(
                Workloads.cronJob(
                    input(
                        Workload.SCHEDULED, "{\"image\":\"img:1\",\"schedule\":\"*/5 * * * *\"}")))
            .create();
    Instant created = Instant.parse(cron.getMetadata().getCreationTimestamp());
    long fiveMinutes = 300;
    Instant firstFire =
        Instant.ofEpochSecond((created.getEpochSecond() / fiveMinutes + 1) * fiveMinutes);

    simulator.step(firstFire.minusSeconds(30));
    assertTrue(client.batch().v1().jobs().inNamespace("data").list().getItems().isEmpty());
    simulator.step(firstFire.plusSeconds(1));
    simulator.step(firstFire.plusSeconds(2));

    List<Job> jobs = client.batch().v1().jobs().inNamespace("data").list().getItems();
    assertEquals(1, jobs.size(), "one Job per scheduled time");
    assertEquals("CronJob", jobs.get(0).getMetadata().getOwnerReferences().get(0).getKind());
    assertEquals(
        cron.getSpec().getJobTemplate().getMetadata().getLabels(),
        jobs.get(0).getMetadata().getLabels());
  }

  // ---- failing the way a cluster fails (#18) ---------------------------------------------------

  @Test
  void aRootImageUnderRunAsNonRootWithNoUserIsRefusedByTheKubelet() {
    client.resource(batch("root", "{\"image\":\"postgres:16\"}")).create();
    runFor(Duration.ofSeconds(10));

    var waiting = waiting(onlyPod("root-1"));
    assertEquals("CreateContainerConfigError", waiting.getReason());
    assertTrue(
        waiting.getMessage().startsWith("container has runAsNonRoot and image will run as root"),
        waiting.getMessage());
    assertEquals("Pending", onlyPod("root-1").getStatus().getPhase());
  }

  @Test
  void anImageListedAsNonRootRunsWithoutAUser() {
    simulator =
        new Simulator(
            client,
            new SandboxNode("8", "16Gi", List.of("standard"), List.of("gcr.io/distroless/")),
            START,
            RUN,
            Duration.ofMillis(100));
    client.resource(batch("nonroot", "{\"image\":\"gcr.io/distroless/static:nonroot\"}")).create();
    runFor(Duration.ofSeconds(10));
    assertEquals("Succeeded", onlyPod("nonroot-1").getStatus().getPhase());
  }

  @Test
  void aMissingSecretHoldsThePodUntilItIsCreated() {
    client
        .resource(batch("creds", admitted("{\"image\":\"img:1\",\"secretRefs\":[\"pg\"]}")))
        .create();
    runFor(Duration.ofSeconds(10));
    var waiting = waiting(onlyPod("creds-1"));
    assertEquals("CreateContainerConfigError", waiting.getReason());
    assertEquals("secret \"pg\" not found", waiting.getMessage());
    assertTrue(
        events("creds-1").stream()
            .anyMatch(e -> e.getReason().equals("Failed") && e.getType().equals("Warning")));

    client
        .secrets()
        .inNamespace("data")
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("pg")
                .endMetadata()
                .addToStringData("PASSWORD", "x")
                .build())
        .create();
    simulator.step(t0.plus(Duration.ofSeconds(11)));
    assertEquals("Running", onlyPod("creds-1").getStatus().getPhase());
  }

  @Test
  void anUnpullableImageBacksOff() {
    client.resource(batch("pull", admitted("{\"image\":\"ghcr.io/acme/unpullable:1\"}"))).create();
    simulator.step(t0);
    simulator.step(t0.plus(START));
    assertEquals("ErrImagePull", waiting(onlyPod("pull-1")).getReason());
    simulator.step(t0.plus(START).plusSeconds(1));
    assertEquals("ImagePullBackOff", waiting(onlyPod("pull-1")).getReason());
    assertTrue(waiting(onlyPod("pull-1")).getMessage().contains("ghcr.io/acme/unpullable:1"));
  }

  @Test
  void requestsBeyondTheNodeAreUnschedulable() {
    client
        .resource(
            batch(
                "huge",
                admitted(
                    "{\"image\":\"img:1\",\"resources\":{\"requests\":{\"memory\":\"64Gi\"}}}")))
        .create();
    runFor(Duration.ofSeconds(10));
    Pod pod = onlyPod("huge-1");
    assertEquals("Pending", pod.getStatus().getPhase());
    var scheduled = pod.getStatus().getConditions().get(0);
    assertEquals("PodScheduled", scheduled.getType());
    assertEquals("Unschedulable", scheduled.getReason());
    assertTrue(scheduled.getMessage().contains("1 Insufficient memory"), scheduled.getMessage());
    assertTrue(events("huge-1").stream().anyMatch(e -> e.getReason().equals("FailedScheduling")));
  }

  @Test
  void aContainerOverItsMemoryIsOomKilled() {
    client.resource(runJob("oom", "ghcr.io/acme/oom-loader:1", 0)).create();
    runFor(Duration.ofSeconds(20));
    Pod pod = onlyPod("oom-1");
    assertEquals("Failed", pod.getStatus().getPhase());
    var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertEquals("OOMKilled", terminated.getReason());
    assertEquals(137, terminated.getExitCode());
  }

  @Test
  void aClaimOfAnUnknownStorageClassNeverBindsAndItsPodIsNotScheduled() {
    client
        .persistentVolumeClaims()
        .inNamespace("data")
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("app.data")
                .endMetadata()
                .withNewSpec()
                .withStorageClassName("fast-ssd")
                .withAccessModes("ReadWriteOnce")
                .endSpec()
                .build())
        .create();
    client
        .resource(
            batch(
                "app",
                admitted(
                    "{\"image\":\"img:1\",\"volumes\":[{\"name\":\"data\",\"size\":\"1Gi\",\"mountPath\":\"/d\"}]}")))
        .create();
    runFor(Duration.ofSeconds(10));
    assertNotEquals(
        "Bound",
        String.valueOf(
            client
                .persistentVolumeClaims()
                .inNamespace("data")
                .withName("app.data")
                .get()
                .getStatus()));
    assertTrue(
        events("app.data").stream().anyMatch(e -> e.getReason().equals("ProvisioningFailed")));
    var scheduled = onlyPod("app-1").getStatus().getConditions().get(0);
    assertTrue(scheduled.getMessage().contains("unbound immediate PersistentVolumeClaims"));
  }

  @Test
  void aNonRootProcessCannotWriteToAClaimWithoutAnFsGroup() {
    String spec =
        "{\"securityContext\":{\"runAsUser\":1000},\"image\":\"img:1\",\"batch\":{\"backoffLimit\":0},\"volumes\":[{\"name\":\"data\",\"size\":\"1Gi\",\"mountPath\":\"/d\"}]}";
    client.resource(claimFor("app")).create();
    client.resource(batch("app", spec)).create();
    runFor(Duration.ofSeconds(20));
    Pod pod = onlyPod("app-1");
    assertEquals("Failed", pod.getStatus().getPhase());
    String log = client.pods().inNamespace("data").withName(pod.getMetadata().getName()).getLog();
    assertTrue(log.contains("Permission denied"), log);

    client.batch().v1().jobs().inNamespace("data").withName("app-1").delete();
    client.pods().inNamespace("data").delete();
    String withGroup = spec.replace("\"runAsUser\":1000", "\"runAsUser\":1000,\"fsGroup\":1000");
    client.resource(batch("app", withGroup)).create();
    runFor(Duration.ofSeconds(20));
    assertEquals("Succeeded", onlyPod("app-1").getStatus().getPhase());
  }

  @Test
  void aCrashLoopingServiceCountsRestartsAndKeepsThePreviousLog() {
    client
        .resource(
            Workloads.deployment(
                input(Workload.SERVICE, "{\"image\":\"img:crash\",\"replicas\":1}")))
        .create();
    Instant t = t0;
    for (int i = 0; i < 12; i++) {
      simulator.step(t);
      t = t.plusSeconds(2);
    }
    Pod pod = client.pods().inNamespace("data").list().getItems().get(0);
    var status = pod.getStatus().getContainerStatuses().get(0);
    assertTrue(status.getRestartCount() >= 1, "restarted: " + status);
    var last = status.getLastState().getTerminated();
    assertEquals("Error", last.getReason());
    assertEquals(1, last.getExitCode());
    String previous =
        client
            .pods()
            .inNamespace("data")
            .withName(pod.getMetadata().getName())
            .inContainer("main")
            .terminated()
            .getLog();
    assertTrue(previous.contains("simulated crash"), previous);
  }

  private void runFor(Duration time) {
    for (Instant t = t0; !t.isAfter(t0.plus(time)); t = t.plusSeconds(1)) {
      simulator.step(t);
    }
  }

  private static io.fabric8.kubernetes.api.model.ContainerStateWaiting waiting(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getWaiting();
  }

  private static Job batch(String name, String spec) {
    RenderInput job =
        new RenderInput(
            UUID.randomUUID(),
            "data",
            name,
            JobType.INGESTION,
            Workload.BATCH,
            1,
            SpecCodec.spec(spec),
            List.of(),
            Map.of());
    return Workloads.runJob(job, new RenderInput.RunInput(1, 1, null, null, true));
  }

  private static io.fabric8.kubernetes.api.model.PersistentVolumeClaim claimFor(String job) {
    return new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(job + ".data")
        .withNamespace("data")
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .endSpec()
        .build();
  }

  private static RenderInput input(Workload workload, String spec) {
    return new RenderInput(
        UUID.fromString("01939c4e-8a9b-7c2d-9e1f-3a4b5c6d7e8f"),
        "data",
        "app",
        JobType.PROCESSING,
        workload,
        1,
        SpecCodec.spec(admitted(spec)),
        List.of(),
        Map.of());
  }

  /** A spec as admission stores it: the namespace policy's default user, group and fsGroup. */
  static String admitted(String spec) {
    if (spec.contains("securityContext")) {
      return spec;
    }
    return spec.replaceFirst(
        "\\{",
        "{\"securityContext\":{\"runAsUser\":65532,\"runAsGroup\":65532,\"fsGroup\":65532},");
  }

  private static Job runJob(String name, String image, int backoffLimit) {
    RenderInput job =
        new RenderInput(
            UUID.randomUUID(),
            "data",
            name,
            JobType.INGESTION,
            Workload.BATCH,
            1,
            SpecCodec.spec(
                admitted(
                    "{\"image\":\""
                        + image
                        + "\",\"batch\":{\"backoffLimit\":"
                        + backoffLimit
                        + "}}")),
            List.of(),
            Map.of());
    return Workloads.runJob(job, new RenderInput.RunInput(1, 1, null, null, true));
  }

  private Pod onlyPod(String jobName) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace("data")
            .withLabel(Simulator.JOB_NAME_LABEL, jobName)
            .list()
            .getItems();
    assertEquals(1, pods.size());
    return pods.get(0);
  }

  private List<io.fabric8.kubernetes.api.model.Event> events(String podPrefix) {
    return client.v1().events().inNamespace("data").list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().startsWith(podPrefix))
        .toList();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace("data").withName(name).get();
  }

  private Deployment deployment() {
    return client.apps().deployments().inNamespace("data").withName("app").get();
  }
}
