package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import io.sluice.job.JobPhase;
import io.sluice.run.RunPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's rules as a pure function: what starts, what is skipped, retried or cancelled, and
 * the final phase of a run. Each test plays the job runs' outcomes by hand.
 */
class AdvanceTest {
  private Instant now = Instant.parse("2026-12-01T03:00:00Z");

  private static PipelineSpec.Step job(String name, List<String> deps) {
    return new PipelineSpec.Step(name, "j-" + name, null, null, null, deps, null, null, null, null);
  }

  private static PipelineSpec.Step with(
      PipelineSpec.Step s,
      PipelineSpec.When when,
      Integer retries,
      Boolean allowFailure,
      Integer timeout) {
    return new PipelineSpec.Step(
        s.name(),
        s.job(),
        s.awaitReady(),
        null,
        null,
        s.dependsOn(),
        when,
        retries == null ? null : new PipelineSpec.Retries(retries, 30),
        timeout,
        allowFailure);
  }

  private static PipelineSpec spec(boolean failFast, PipelineSpec.Step... steps) {
    return new PipelineSpec(List.of(steps), null, failFast, null, null, null, null);
  }

  private static Map<String, StepState> fresh(PipelineSpec spec) {
    Map<String, StepState> out = new LinkedHashMap<>();
    for (PipelineSpec.Step s : spec.steps()) {
      StepState st = new StepState(s.name(), StepPhase.WAITING);
      st.job = new StepState.JobState(true, false, JobPhase.PENDING, null, null);
      out.put(s.name(), st);
    }
    return out;
  }

  /** The steps a pass started, clearing the flags as the store would after writing. */
  private List<String> pass(
      PipelineSpec spec, Map<String, StepState> steps, Advance.Outcome[] out) {
    out[0] = Advance.pass(spec, steps, now);
    List<String> started = new ArrayList<>();
    for (StepState s : steps.values()) {
      if (s.start) {
        started.add(s.name);
        s.latest = new StepState.Latest(s.attempts, s.attempts, RunPhase.PENDING, now, null, null);
      }
      s.start = false;
      s.changed = false;
      s.cancelAttempt = null;
    }
    return started;
  }

  private static void runEnds(StepState s, RunPhase phase, String reason) {
    s.latest =
        new StepState.Latest(s.attempts, s.attempts, phase, s.latest.createdAt(), reason, null);
  }

  @Test
  void aDiamondRunsRootThenBothSidesThenTheJoin() {
    PipelineSpec spec =
        spec(
            false,
            job("root", null),
            job("left", List.of("root")),
            job("right", List.of("root")),
            job("join", List.of("left", "right")));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    assertEquals(List.of("root"), pass(spec, steps, out));
    assertEquals(RunPhase.RUNNING, out[0].phase());
    assertEquals(List.of(), pass(spec, steps, out), "nothing new while root runs");
    runEnds(steps.get("root"), RunPhase.SUCCEEDED, null);
    assertEquals(List.of("left", "right"), pass(spec, steps, out));
    runEnds(steps.get("left"), RunPhase.SUCCEEDED, null);
    assertEquals(List.of(), pass(spec, steps, out), "join waits for both sides");
    runEnds(steps.get("right"), RunPhase.SUCCEEDED, null);
    assertEquals(List.of("join"), pass(spec, steps, out));
    runEnds(steps.get("join"), RunPhase.SUCCEEDED, null);
    pass(spec, steps, out);
    assertEquals(RunPhase.SUCCEEDED, out[0].phase());
  }

  @Test
  void aStepThatFailsTwiceThenSucceedsCountsAsSucceeded() {
    PipelineSpec spec = spec(false, with(job("load", null), null, 2, null, null));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    StepState load = steps.get("load");
    pass(spec, steps, out);
    for (int attempt = 1; attempt <= 2; attempt++) {
      runEnds(load, RunPhase.FAILED, "BackoffLimitExceeded");
      assertEquals(List.of(), pass(spec, steps, out));
      assertEquals(StepPhase.WAITING, load.phase);
      assertEquals(now.plusSeconds(30), load.nextAttemptAt);
      assertEquals(now.plusSeconds(30), out[0].wakeAt(), "the pass wakes at the backoff");
      now = now.plusSeconds(30);
      assertEquals(List.of("load"), pass(spec, steps, out));
      assertEquals(attempt + 1, load.attempts);
    }
    runEnds(load, RunPhase.SUCCEEDED, null);
    pass(spec, steps, out);
    assertEquals(StepPhase.SUCCEEDED, load.phase);
    assertEquals(RunPhase.SUCCEEDED, out[0].phase());
  }

  @Test
  void retriesRunOutAndTheRunFailsNamingTheStep() {
    PipelineSpec spec = spec(false, with(job("load", null), null, 1, null, null));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    runEnds(steps.get("load"), RunPhase.FAILED, "BackoffLimitExceeded");
    pass(spec, steps, out);
    now = now.plusSeconds(30);
    pass(spec, steps, out);
    runEnds(steps.get("load"), RunPhase.FAILED, "BackoffLimitExceeded");
    pass(spec, steps, out);
    assertEquals(StepPhase.FAILED, steps.get("load").phase);
    assertEquals(RunPhase.FAILED, out[0].phase());
    assertTrue(out[0].message().contains("'load'"), out[0].message());
  }

  @Test
  void failureHandlersRunOnFailureOnlyAndAlwaysStepsRunEitherWay() {
    PipelineSpec spec =
        spec(
            false,
            job("load", null),
            with(job("alert", List.of("load")), PipelineSpec.When.failed, null, null, null),
            with(job("cleanup", List.of("load")), PipelineSpec.When.always, null, null, null),
            job("report", List.of("load")));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    runEnds(steps.get("load"), RunPhase.FAILED, "Error");
    assertEquals(List.of("alert", "cleanup"), pass(spec, steps, out));
    assertEquals(StepPhase.SKIPPED, steps.get("report").phase);
    runEnds(steps.get("alert"), RunPhase.SUCCEEDED, null);
    runEnds(steps.get("cleanup"), RunPhase.SUCCEEDED, null);
    pass(spec, steps, out);
    assertEquals(RunPhase.FAILED, out[0].phase(), "a handler does not make the failure go away");

    Map<String, StepState> ok = fresh(spec);
    pass(spec, ok, out);
    runEnds(ok.get("load"), RunPhase.SUCCEEDED, null);
    assertEquals(List.of("cleanup", "report"), pass(spec, ok, out));
    assertEquals(StepPhase.SKIPPED, ok.get("alert").phase);
    runEnds(ok.get("cleanup"), RunPhase.SUCCEEDED, null);
    runEnds(ok.get("report"), RunPhase.SUCCEEDED, null);
    pass(spec, ok, out);
    assertEquals(RunPhase.SUCCEEDED, out[0].phase(), "a skipped handler fails nothing");
  }

  @Test
  void aCheckThatEndsItsBranchOnPurposeDoesNotFailTheRun() {
    PipelineSpec spec =
        spec(
            false,
            with(job("check", null), null, null, true, null),
            job("load", List.of("check")),
            job("other", null));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    runEnds(steps.get("check"), RunPhase.FAILED, "NothingToDo");
    runEnds(steps.get("other"), RunPhase.SUCCEEDED, null);
    pass(spec, steps, out);
    assertEquals(StepPhase.FAILED, steps.get("check").phase);
    assertEquals(StepPhase.SKIPPED, steps.get("load").phase);
    assertEquals(RunPhase.SUCCEEDED, out[0].phase());
  }

  @Test
  void failFastCancelsRunningStepsAndStartsOnlyHandlers() {
    PipelineSpec spec =
        spec(
            true,
            job("a", null),
            job("slow", null),
            job("after", List.of("slow")),
            with(job("alert", List.of("a")), PipelineSpec.When.failed, null, null, null));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    assertEquals(List.of("a", "slow"), pass(spec, steps, out));
    runEnds(steps.get("a"), RunPhase.FAILED, "Error");
    out[0] = Advance.pass(spec, steps, now);
    assertEquals(
        Advance.FAIL_FAST, steps.get("slow").cancelAttempt, "the running attempt is cancelled");
    assertEquals(StepPhase.CANCELLED, steps.get("slow").phase);
    assertEquals(StepPhase.CANCELLED, steps.get("after").phase);
    assertTrue(steps.get("alert").start, "the failure handler still starts");
    assertEquals(RunPhase.RUNNING, out[0].phase());
  }

  @Test
  void withoutFailFastTheOtherBranchRunsToTheEnd() {
    PipelineSpec spec = spec(false, job("a", null), job("b", null), job("c", List.of("b")));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    runEnds(steps.get("a"), RunPhase.FAILED, "Error");
    runEnds(steps.get("b"), RunPhase.SUCCEEDED, null);
    assertEquals(List.of("c"), pass(spec, steps, out));
  }

  @Test
  void anAttemptPastItsTimeoutIsCancelledAndRetried() {
    PipelineSpec spec = spec(false, with(job("load", null), null, 1, null, 60));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    assertEquals(now.plusSeconds(60), out[0].wakeAt());
    now = now.plusSeconds(61);
    out[0] = Advance.pass(spec, steps, now);
    assertEquals(Advance.STEP_TIMEOUT, steps.get("load").cancelAttempt);
    assertEquals(StepPhase.WAITING, steps.get("load").phase);
    assertEquals(1, steps.get("load").retriesUsed);
  }

  @Test
  void aRunCancelledByHandOrAJobDeletedFailsTheStepWithoutRetrying() {
    PipelineSpec spec =
        spec(
            false,
            with(job("load", null), null, 3, null, null),
            with(job("b", null), null, 3, null, null));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    runEnds(steps.get("load"), RunPhase.CANCELLED, "Cancelled");
    runEnds(steps.get("b"), RunPhase.CANCELLED, Advance.JOB_DELETED);
    pass(spec, steps, out);
    assertEquals(StepPhase.FAILED, steps.get("load").phase);
    assertEquals(Advance.RUN_CANCELLED, steps.get("load").reason);
    assertEquals(StepPhase.FAILED, steps.get("b").phase);
    assertEquals(Advance.JOB_DELETED, steps.get("b").reason);
    assertEquals(RunPhase.FAILED, out[0].phase());
  }

  @Test
  void aStepWhoseJobIsGoneFailsWhenItsTurnComes() {
    PipelineSpec spec = spec(false, job("a", null), job("b", List.of("a")));
    Map<String, StepState> steps = fresh(spec);
    steps.get("b").job = StepState.JobState.GONE;
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    runEnds(steps.get("a"), RunPhase.SUCCEEDED, null);
    assertEquals(List.of(), pass(spec, steps, out));
    assertEquals(StepPhase.FAILED, steps.get("b").phase);
    assertEquals(Advance.JOB_DELETED, steps.get("b").reason);
  }

  @Test
  void anAwaitReadyStepSucceedsOnceItsJobIsReadyAndFailsAtItsTimeout() {
    PipelineSpec.Step await =
        new PipelineSpec.Step(
            "warehouse", null, "warehouse", null, null, null, null, null, 120, null);
    PipelineSpec spec = spec(false, await, job("load", List.of("warehouse")));
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    assertEquals(List.of(), pass(spec, steps, out));
    assertEquals(StepPhase.RUNNING, steps.get("warehouse").phase);
    assertEquals(now.plus(Advance.AWAIT_POLL), out[0].wakeAt());
    steps.get("warehouse").job = new StepState.JobState(true, false, JobPhase.READY, null, null);
    assertEquals(List.of("load"), pass(spec, steps, out));

    Map<String, StepState> stuck = fresh(spec);
    pass(spec, stuck, out);
    now = now.plusSeconds(121);
    pass(spec, stuck, out);
    assertEquals(StepPhase.FAILED, stuck.get("warehouse").phase);
    assertEquals(Advance.NOT_READY, stuck.get("warehouse").reason);
    assertEquals(StepPhase.SKIPPED, stuck.get("load").phase);
  }

  @Test
  void fiftyWayFanOutAndFanIn() {
    List<PipelineSpec.Step> list = new ArrayList<>();
    list.add(job("split", null));
    List<String> middle = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      list.add(job("part-" + i, List.of("split")));
      middle.add("part-" + i);
    }
    list.add(job("merge", middle));
    PipelineSpec spec = new PipelineSpec(list, null, false, null, null, null, null);
    Map<String, StepState> steps = fresh(spec);
    Advance.Outcome[] out = new Advance.Outcome[1];
    pass(spec, steps, out);
    runEnds(steps.get("split"), RunPhase.SUCCEEDED, null);
    assertEquals(middle, pass(spec, steps, out));
    for (String m : middle) {
      runEnds(steps.get(m), RunPhase.SUCCEEDED, null);
    }
    assertEquals(List.of("merge"), pass(spec, steps, out));
  }
}
