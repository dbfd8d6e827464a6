package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.SparkApplication;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import io.sluice.render.FlinkDeployments;
import io.sluice.render.RenderFixtures;
import io.sluice.render.RenderInput;
import io.sluice.render.SparkApplications;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's simulated Spark and Flink operators, with time driven by the test: what they do
 * with what Sluice renders, through the simulated kubelet.
 */
class OperatorSimulatorTest {
  private static final Duration START = Duration.ofSeconds(2);
  private static final Duration RUN = Duration.ofSeconds(5);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private Simulator simulator;
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(60);

  @BeforeEach
  void start() {
    server = SimulatedCluster.start();
    client = server.createClient();
    SandboxOperators.install(client, List.of("spark", "flink"));
    simulator = new Simulator(client, START, RUN, Duration.ofMillis(100));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  /** The spec without what this bare cluster lacks (the ConfigMap, Secret and claim). */
  private static io.sluice.job.JobSpec standalone(io.sluice.job.JobSpec spec) {
    return RenderFixtures.with(
        spec, "secretRefs", null, "config", null, "configAsEnv", null, "volumes", null);
  }

  private SparkApplication submit(String image, String restart) {
    return create(
        RenderFixtures.SPARK
            .replace("apache/spark:3.5.3", image)
            .replace("\"onFailureRetries\": 2", "\"onFailureRetries\": " + restart));
  }

  /** Run 1 of a spark job with this spec, as Sluice applies it. */
  private SparkApplication create(String spec) {
    RenderInput job =
        new RenderInput(
            RenderFixtures.ID,
            "data",
            "pi",
            JobType.PROCESSING,
            Workload.SPARK,
            1,
            standalone(RenderFixtures.spec(spec)),
            List.of(new RenderInput.RunInput(1, 1, null, null, true)),
            Map.of());
    return client.resource(SparkApplications.render(job, job.openRuns().get(0))).create();
  }

  private String state() {
    SparkApplication app =
        client.resources(SparkApplication.class).inNamespace("data").withName("pi-1").get();
    return app.getStatus() == null ? "" : app.getStatus().applicationState.state;
  }

  private List<Pod> pods(String role) {
    return client
        .pods()
        .inNamespace("data")
        .withLabel(SparkApplication.ROLE_LABEL, role)
        .list()
        .getItems();
  }

  @Test
  void aSparkApplicationRunsItsDriverAndExecutorsAndCompletes() {
    submit("apache/spark:3.5.3", "2");
    simulator.step(t0);
    assertEquals("SUBMITTED", state());
    assertEquals(1, pods("driver").size());
    assertEquals(
        "spark-kubernetes-driver",
        pods("driver").get(0).getSpec().getContainers().get(0).getName());
    simulator.step(t0.plus(START));
    simulator.step(t0.plus(START));
    assertEquals("RUNNING", state());
    assertEquals(4, pods("executor").size(), "the application's four executors");
    simulator.step(t0.plus(START).plus(RUN));
    simulator.step(t0.plus(START).plus(RUN));
    assertEquals("COMPLETED", state());
    assertEquals(0, pods("executor").size(), "executors go with the driver");
    assertEquals("Succeeded", pods("driver").get(0).getStatus().getPhase());
  }

  @Test
  void aFailingApplicationIsRetriedAsTheOperatorDoesThenFails() {
    submit("apache/spark:3.5.3-fail", "1");
    Instant now = t0;
    List<String> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 40 && !state().equals("FAILED"); i++) {
      simulator.step(now);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state())) {
        seen.add(state());
      }
      now = now.plus(Duration.ofSeconds(2));
    }
    assertEquals("FAILED", state(), "states seen: " + seen);
    assertTrue(seen.contains("FAILING") && seen.contains("PENDING_RERUN"), "retried once: " + seen);
    SparkApplication app =
        client.resources(SparkApplication.class).inNamespace("data").withName("pi-1").get();
    assertEquals(2, app.getStatus().executionAttempts);
    assertTrue(app.getStatus().applicationState.errorMessage.contains("ExitCode: 1"));
  }

  @Test
  void aRootImageUnderRunAsNonRootNeverStartsTheDriver() {
    create(RenderFixtures.SPARK.replace("\"runAsUser\": 185, ", ""));
    simulator.step(t0);
    simulator.step(t0.plus(START));
    simulator.step(t0.plus(START).plus(RUN));
    assertEquals("SUBMITTED", state(), "the driver waits, as on a cluster");
    var waiting =
        pods("driver").get(0).getStatus().getContainerStatuses().get(0).getState().getWaiting();
    assertEquals("CreateContainerConfigError", waiting.getReason());
  }

  private FlinkDeployment flink() {
    return client.resources(FlinkDeployment.class).inNamespace("data").withName("stream").get();
  }

  private RenderInput flinkJob(Integer scale) {
    return new RenderInput(
            RenderFixtures.ID,
            "data",
            "stream",
            JobType.PROCESSING,
            Workload.FLINK,
            1,
            RenderFixtures.with(
                standalone(RenderFixtures.spec(RenderFixtures.FLINK)),
                "securityContext",
                Map.of("runAsUser", 9999, "fsGroup", 9999)),
            List.of(),
            Map.of())
        .withScale(scale, false);
  }

  @Test
  void aFlinkDeploymentBecomesStableAndAnUpgradeTakesASavepoint() {
    client.resource(FlinkDeployments.render(flinkJob(null))).create();
    Instant now = t0;
    for (int i = 0; i < 6; i++) {
      simulator.step(now);
      now = now.plus(START);
    }
    assertEquals("STABLE", flink().getStatus().lifecycleState);
    assertEquals("RUNNING", flink().getStatus().jobStatus.state);
    assertEquals(
        2,
        client
            .pods()
            .inNamespace("data")
            .withLabel("component", "taskmanager")
            .list()
            .getItems()
            .size(),
        "parallelism 6 over 4 slots");

    client
        .resources(FlinkDeployment.class)
        .inNamespace("data")
        .withName("stream")
        .edit(
            d -> {
              d.setSpec(FlinkDeployments.render(flinkJob(12)).getSpec());
              return d;
            });
    simulator.step(now);
    FlinkDeployment upgrading = flink();
    assertEquals("UPGRADING", upgrading.getStatus().lifecycleState);
    var savepoint = upgrading.getStatus().jobStatus.savepointInfo.lastSavepoint;
    assertNotNull(savepoint);
    assertTrue(savepoint.location.startsWith("s3://flink/sp/savepoint-"), savepoint.location);
    assertEquals(savepoint.location, upgrading.getStatus().jobStatus.upgradeSavepointPath);
    for (int i = 0; i < 6; i++) {
      now = now.plus(START);
      simulator.step(now);
    }
    assertEquals("STABLE", flink().getStatus().lifecycleState);
    assertEquals(
        3,
        client
            .pods()
            .inNamespace("data")
            .withLabel("component", "taskmanager")
            .list()
            .getItems()
            .size(),
        "parallelism 12 over 4 slots");
  }
}
