package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.SparkApplication;
import io.sluice.job.JobPhase;
import io.sluice.run.RunPhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Status of Spark runs and Flink jobs, read off what their operators write, for every state. */
class ObservedEnginesTest {

  private static SparkApplication app(String state, String error, Integer executions) {
    SparkApplication app = new SparkApplication();
    app.setMetadata(new ObjectMetaBuilder().withName("sessions-1").build());
    SparkApplication.Status s = new SparkApplication.Status();
    if (state != null) {
      s.applicationState = new SparkApplication.ApplicationState(state, error);
    }
    s.lastSubmissionAttemptTime = "2026-12-02T10:00:00Z";
    s.terminationTime =
        state != null && (state.equals("COMPLETED") || state.contains("FAILED"))
            ? "2026-12-02T10:05:00Z"
            : null;
    s.executionAttempts = executions;
    app.setStatus(s);
    return app;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'', PENDING",
    "UNKNOWN, PENDING",
    "SUSPENDED, PENDING",
    "SUBMITTED, RUNNING",
    "RUNNING, RUNNING",
    "SUCCEEDING, RUNNING",
    "FAILING, RUNNING",
    "PENDING_RERUN, RUNNING",
    "INVALIDATING, RUNNING",
    "COMPLETED, SUCCEEDED",
    "FAILED, FAILED",
    "SUBMISSION_FAILED, FAILED"
  })
  void everySparkStateMapsToARunPhase(String state, RunPhase phase) {
    assertEquals(phase, ObservedEngines.sparkRun(app(state, null, 1), List.of()).phase());
  }

  @Test
  void aNewApplicationWithoutStatusIsPending() {
    SparkApplication app = new SparkApplication();
    app.setMetadata(new ObjectMetaBuilder().withName("x-1").build());
    assertEquals(RunPhase.PENDING, ObservedEngines.sparkRun(app, List.of()).phase());
  }

  @Test
  void endingsCarryTheirTimesReasonsAndTheOperatorsError() {
    var done = ObservedEngines.sparkRun(app("COMPLETED", null, 1), List.of());
    assertEquals("Completed", done.reason());
    assertEquals(0, done.exitCode());
    assertEquals("2026-12-02T10:05:00Z", done.finishedAt().toString());
    assertEquals("2026-12-02T10:00:00Z", done.startedAt().toString());

    Pod driver =
        new PodBuilder()
            .withNewMetadata()
            .withName("sessions-1-driver")
            .withLabels(Map.of(SparkApplication.ROLE_LABEL, "driver"))
            .endMetadata()
            .withNewStatus()
            .addNewContainerStatus()
            .withName(SparkApplication.DRIVER_CONTAINER)
            .withNewState()
            .withNewTerminated()
            .withExitCode(3)
            .withReason("Error")
            .endTerminated()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    var failed =
        ObservedEngines.sparkRun(
            app("FAILED", "driver container failed with ExitCode: 3, Reason: Error", 3),
            List.of(driver));
    assertEquals("SparkApplicationFailed", failed.reason());
    assertEquals(
        "the Spark application failed: driver container failed with ExitCode: 3, Reason: Error",
        failed.message());
    assertEquals(3, failed.exitCode());
    assertEquals(3, failed.attempts(), "the operator's attempts are counted");

    var submission =
        ObservedEngines.sparkRun(app("SUBMISSION_FAILED", "no such jar", 0), List.of());
    assertEquals("SubmissionFailed", submission.reason());
    assertEquals("spark-submit failed: no such jar", submission.message());
  }

  @Test
  void theOperatorsOwnRetriesKeepTheRunGoingAndSaySo() {
    var failing = ObservedEngines.sparkRun(app("FAILING", "exit 1", 1), List.of());
    assertEquals(RunPhase.RUNNING, failing.phase());
    assertEquals("Retrying", failing.reason());
    assertEquals("the operator is retrying the application: exit 1", failing.message());
    var rerun = ObservedEngines.sparkRun(app("PENDING_RERUN", null, 2), List.of());
    assertEquals("PendingRerun", rerun.reason());
    assertEquals(2, rerun.attempts());
    assertNull(rerun.finishedAt());
  }

  private static FlinkDeployment flink(String lifecycle, String job, String error) {
    FlinkDeployment d = new FlinkDeployment();
    d.setMetadata(new ObjectMetaBuilder().withName("stream").withGeneration(2L).build());
    d.setSpec(new FlinkDeployment.Spec());
    d.getSpec().job = new FlinkDeployment.JobSpec();
    d.getSpec().job.parallelism = 4;
    d.getSpec().job.state = "running";
    if (lifecycle != null) {
      FlinkDeployment.Status s = new FlinkDeployment.Status();
      s.lifecycleState = lifecycle;
      s.observedGeneration = 2L;
      s.error = error;
      if (job != null) {
        s.jobStatus = new FlinkDeployment.JobStatus();
        s.jobStatus.state = job;
      }
      d.setStatus(s);
    }
    return d;
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    "CREATED, CREATED, PROGRESSING",
    "UPGRADING, RECONCILING, PROGRESSING",
    "DEPLOYED, RUNNING, PROGRESSING",
    "DEPLOYED, RESTARTING, PROGRESSING",
    "STABLE, RUNNING, READY",
    "STABLE, RESTARTING, PROGRESSING",
    "ROLLING_BACK, RUNNING, PROGRESSING",
    "ROLLED_BACK, RUNNING, DEGRADED",
    "FAILED, FAILED, DEGRADED",
    "DEPLOYED, FAILED, DEGRADED",
    "SUSPENDED, FINISHED, SUSPENDED",
    "DELETING, CANCELLING, PROGRESSING"
  })
  void everyFlinkStateMapsToAJobPhase(String lifecycle, String job, JobPhase phase) {
    assertEquals(phase, ObservedEngines.flink(flink(lifecycle, job, null), List.of()).phase());
  }

  @Test
  void readyMeansStableAndRunningAtTheParallelism() {
    var ready = ObservedEngines.flink(flink("STABLE", "RUNNING", null), List.of());
    assertEquals(4, ready.ready());
    assertEquals(4, ready.desired());
    assertEquals("Running at parallelism 4", ready.message());
    assertFalse(ready.failed());
  }

  @Test
  void theOperatorsErrorReachesTheMessageAndMarksAFailure() {
    var failed =
        ObservedEngines.flink(flink("FAILED", "FAILED", "Recovery is suppressed"), List.of());
    assertTrue(failed.failed());
    assertEquals("Flink job failed: Recovery is suppressed", failed.message());
    var deploying =
        ObservedEngines.flink(flink("DEPLOYED", "RESTARTING", "TaskManager lost"), List.of());
    assertTrue(deploying.message().contains("TaskManager lost"));
    assertFalse(deploying.failed());
  }

  @Test
  void anUnobservedGenerationIsStillRollingOut() {
    FlinkDeployment d = flink("STABLE", "RUNNING", null);
    d.getMetadata().setGeneration(3L);
    var state = ObservedEngines.flink(d, List.of());
    assertEquals(JobPhase.PROGRESSING, state.phase(), "the operator has not seen revision 3 yet");
    assertEquals(
        JobPhase.PROGRESSING, ObservedEngines.flink(flink(null, null, null), List.of()).phase());
  }
}
