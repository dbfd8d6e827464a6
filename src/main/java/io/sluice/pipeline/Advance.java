package io.sluice.pipeline;

import io.sluice.job.JobPhase;
import io.sluice.run.RunPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pass of the engine over a pipeline run, as a pure function of the pinned spec, the steps'
 * states and the clock: which steps start, finish, wait for a retry, are skipped or cancelled, and
 * whether the run has ended. The rules (docs/architecture.md, "Pipelines"):
 *
 * <ul>
 *   <li>A step decides once all its dependencies have ended: {@code succeeded} runs when every one
 *       SUCCEEDED, {@code failed} when at least one FAILED, {@code always} in any case; otherwise
 *       it is SKIPPED.
 *   <li>A failed attempt is retried after the backoff while retries are left; a step that succeeded
 *       on a retry has SUCCEEDED.
 *   <li>With {@code failFast}, once a step without {@code allowFailure} has FAILED, running steps
 *       are cancelled and only {@code failed}/{@code always} steps still start.
 *   <li>The run ends when every step has: FAILED iff a step without {@code allowFailure} ended
 *       FAILED; SKIPPED steps fail nothing.
 * </ul>
 */
final class Advance {
  /** How often an awaitReady step looks at its job between events. */
  static final Duration AWAIT_POLL = Duration.ofSeconds(2);

  /** How long an awaitReady step waits without timeoutSeconds. */
  static final Duration AWAIT_DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  /** Reasons the engine records; clients may branch on them. */
  static final String FAIL_FAST = "FailFast";

  static final String STEP_TIMEOUT = "StepTimeout";
  static final String JOB_DELETED = "JobDeleted";
  static final String RUN_CANCELLED = "RunCancelled";
  static final String NOT_READY = "NotReady";
  static final String SKIPPED = "DependenciesNotMet";
  static final String PIPELINE_CANCELLED = "PipelineRunCancelled";

  /** What a pass decided about the run as a whole. */
  record Outcome(RunPhase phase, String reason, String message, Instant wakeAt) {
    boolean ended() {
      return phase.isTerminal();
    }
  }

  private final PipelineSpec spec;
  private final Dag dag;
  private final Map<String, StepState> steps;
  private final Instant now;
  private Instant wakeAt;
  private boolean stopping;

  private Advance(PipelineSpec spec, Map<String, StepState> steps, Instant now) {
    this.spec = spec;
    this.dag = Dag.of(spec.steps());
    this.steps = steps;
    this.now = now;
  }

  /** Moves {@code steps} (by name, every step of the spec) one pass on; see the class rules. */
  static Outcome pass(PipelineSpec spec, Map<String, StepState> steps, Instant now) {
    return new Advance(spec, steps, now).run();
  }

  private Outcome run() {
    stopping = spec.failsFast() && failedForGood();
    boolean stoppingBefore = stopping;
    for (String name : dag.order()) {
      step(spec.step(name), steps.get(name));
    }
    if (stopping && !stoppingBefore) {
      // A failure in this pass: what started or runs beside it stops; handlers go on next pass.
      for (String name : dag.order()) {
        stop(spec.step(name), steps.get(name));
      }
      wake(now);
    }
    return outcome();
  }

  private void step(PipelineSpec.Step step, StepState s) {
    switch (s.phase) {
      case RUNNING -> {
        if (step.runsJob()) {
          runningJob(step, s);
        } else {
          awaiting(step, s);
        }
      }
      case WAITING -> waiting(step, s);
      default -> {}
    }
  }

  private void runningJob(PipelineSpec.Step step, StepState s) {
    StepState.Latest l = s.latest;
    if (s.start) {
      return;
    }
    if (l == null) {
      start(step, s);
      return;
    }
    switch (l.phase()) {
      case PENDING, RUNNING -> {
        if (stopping && handlerless(step)) {
          s.cancelAttempt = FAIL_FAST;
          end(step, s, StepPhase.CANCELLED, FAIL_FAST, "cancelled: another step failed (failFast)");
        } else if (step.timeoutSeconds() != null) {
          Instant deadline = l.createdAt().plusSeconds(step.timeoutSeconds());
          if (!now.isBefore(deadline)) {
            s.cancelAttempt = STEP_TIMEOUT;
            attemptFailed(
                step,
                s,
                STEP_TIMEOUT,
                "attempt " + l.attempt() + " ran longer than " + step.timeoutSeconds() + "s");
          } else {
            wake(deadline);
          }
        }
      }
      case SUCCEEDED -> end(step, s, StepPhase.SUCCEEDED, null, null);
      case FAILED -> attemptFailed(step, s, l.reason(), l.message());
      case CANCELLED -> cancelled(step, s, l);
      default -> {}
    }
  }

  private void cancelled(PipelineSpec.Step step, StepState s, StepState.Latest l) {
    String reason = l.reason() == null ? "" : l.reason();
    switch (reason) {
      case STEP_TIMEOUT -> attemptFailed(step, s, STEP_TIMEOUT, l.message());
      case JOB_DELETED ->
          end(step, s, StepPhase.FAILED, JOB_DELETED, "job '" + step.job() + "' was deleted");
      case FAIL_FAST, PIPELINE_CANCELLED -> end(step, s, StepPhase.CANCELLED, reason, l.message());
      default ->
          end(
              step,
              s,
              StepPhase.FAILED,
              RUN_CANCELLED,
              "run "
                  + l.run()
                  + " of job '"
                  + step.job()
                  + "' was cancelled outside the pipeline"
                  + (l.message() == null ? "" : " (" + l.message() + ")"));
    }
  }

  private void awaiting(PipelineSpec.Step step, StepState s) {
    if (stopping && handlerless(step)) {
      end(step, s, StepPhase.CANCELLED, FAIL_FAST, "cancelled: another step failed (failFast)");
      return;
    }
    StepState.JobState job = s.job;
    if (job == null || !job.live()) {
      end(step, s, StepPhase.FAILED, JOB_DELETED, "job '" + step.awaitReady() + "' was deleted");
      return;
    }
    if (job.phase() == JobPhase.READY) {
      end(step, s, StepPhase.SUCCEEDED, null, "job '" + step.awaitReady() + "' is READY");
      return;
    }
    Duration timeout =
        step.timeoutSeconds() == null
            ? AWAIT_DEFAULT_TIMEOUT
            : Duration.ofSeconds(step.timeoutSeconds());
    Instant deadline = s.startedAt.plus(timeout);
    if (!now.isBefore(deadline)) {
      end(
          step,
          s,
          StepPhase.FAILED,
          NOT_READY,
          "job '"
              + step.awaitReady()
              + "' was not READY within "
              + timeout.toSeconds()
              + "s (it is "
              + job.phase()
              + (job.message() == null ? "" : ": " + job.message())
              + ")");
      return;
    }
    Instant poll = now.plus(AWAIT_POLL);
    wake(poll.isBefore(deadline) ? poll : deadline);
  }

  private void waiting(PipelineSpec.Step step, StepState s) {
    if (s.nextAttemptAt != null) {
      if (stopping && handlerless(step)) {
        end(step, s, StepPhase.CANCELLED, FAIL_FAST, "not retried: another step failed (failFast)");
      } else if (!now.isBefore(s.nextAttemptAt)) {
        start(step, s);
      } else {
        wake(s.nextAttemptAt);
      }
      return;
    }
    List<String> deps = dag.dependencies(step.name());
    for (String dep : deps) {
      if (!steps.get(dep).terminal()) {
        return;
      }
    }
    if (stopping && handlerless(step)) {
      end(step, s, StepPhase.CANCELLED, FAIL_FAST, "not started: another step failed (failFast)");
      return;
    }
    String unmet = unmet(step, deps);
    if (unmet != null) {
      end(step, s, StepPhase.SKIPPED, SKIPPED, unmet);
    } else {
      start(step, s);
    }
  }

  /** Why {@code step}'s when does not hold, or null when it does. */
  private String unmet(PipelineSpec.Step step, List<String> deps) {
    switch (step.whenOrDefault()) {
      case succeeded -> {
        for (String dep : deps) {
          StepPhase p = steps.get(dep).phase;
          if (p != StepPhase.SUCCEEDED) {
            return "needs every dependency to succeed; '" + dep + "' is " + p;
          }
        }
        return null;
      }
      case failed -> {
        for (String dep : deps) {
          if (steps.get(dep).phase == StepPhase.FAILED) {
            return null;
          }
        }
        return "runs only when a dependency failed; none did";
      }
      default -> {
        return null;
      }
    }
  }

  private void start(PipelineSpec.Step step, StepState s) {
    StepState.JobState job = s.job;
    String refused = job == null ? "no such job" : job.missing();
    if (refused == null && (!job.live())) {
      refused = JOB_DELETED;
    }
    if (refused != null) {
      String name = step.runsJob() ? step.job() : step.awaitReady();
      end(
          step,
          s,
          StepPhase.FAILED,
          refused.equals(JOB_DELETED) ? JOB_DELETED : "JobNotFound",
          refused.equals(JOB_DELETED)
              ? "job '" + name + "' was deleted"
              : "job '" + name + "' cannot run: " + refused);
      return;
    }
    if (step.runsJob() && job.suspended()) {
      end(
          step,
          s,
          StepPhase.FAILED,
          "JobSuspended",
          "job '" + step.job() + "' is suspended; resume it, then retry the pipeline run");
      return;
    }
    if (s.startedAt == null) {
      s.startedAt = now;
    }
    s.nextAttemptAt = null;
    s.finishedAt = null;
    if (step.runsJob()) {
      s.start = true;
      s.attempts++;
      s.move(StepPhase.RUNNING, null, "attempt " + s.attempts + " started");
      if (step.timeoutSeconds() != null) {
        wake(now.plusSeconds(step.timeoutSeconds()));
      }
    } else {
      s.startedAt = now;
      s.move(StepPhase.RUNNING, null, "waiting for job '" + step.awaitReady() + "' to be READY");
      wake(now.plus(AWAIT_POLL));
    }
  }

  private void attemptFailed(PipelineSpec.Step step, StepState s, String reason, String message) {
    String why = (reason == null ? "Failed" : reason) + (message == null ? "" : ": " + message);
    if (!stopping && s.retriesUsed < step.retryLimit()) {
      s.retriesUsed++;
      s.nextAttemptAt = now.plusSeconds(step.backoffSeconds());
      s.move(
          StepPhase.WAITING,
          reason,
          "attempt "
              + s.attempts
              + " failed ("
              + why
              + "); retry "
              + s.retriesUsed
              + " of "
              + step.retryLimit()
              + " in "
              + step.backoffSeconds()
              + "s");
      if (step.backoffSeconds() == 0) {
        start(step, s);
      } else {
        wake(s.nextAttemptAt);
      }
      return;
    }
    end(step, s, StepPhase.FAILED, reason == null ? "Failed" : reason, message);
  }

  private void end(
      PipelineSpec.Step step, StepState s, StepPhase phase, String reason, String message) {
    s.start = false;
    s.nextAttemptAt = null;
    s.finishedAt = now;
    s.move(phase, reason, message);
    if (phase == StepPhase.FAILED && !step.mayFail() && spec.failsFast()) {
      stopping = true;
    }
  }

  /** The cancellation sweep after a failure in this pass under failFast. */
  private void stop(PipelineSpec.Step step, StepState s) {
    if (!handlerless(step) || s.terminal()) {
      return;
    }
    if (s.phase == StepPhase.RUNNING && step.runsJob() && !s.start) {
      s.cancelAttempt = FAIL_FAST;
    }
    s.start = false;
    s.nextAttemptAt = null;
    s.finishedAt = now;
    s.move(StepPhase.CANCELLED, FAIL_FAST, "cancelled: another step failed (failFast)");
  }

  /** A step that is not a failure handler: under failFast it stops. */
  private static boolean handlerless(PipelineSpec.Step step) {
    return step.whenOrDefault() == PipelineSpec.When.succeeded;
  }

  private boolean failedForGood() {
    for (PipelineSpec.Step step : spec.steps()) {
      if (steps.get(step.name()).phase == StepPhase.FAILED && !step.mayFail()) {
        return true;
      }
    }
    return false;
  }

  private void wake(Instant at) {
    if (wakeAt == null || at.isBefore(wakeAt)) {
      wakeAt = at;
    }
  }

  private Outcome outcome() {
    List<String> failed = new ArrayList<>();
    for (PipelineSpec.Step step : spec.steps()) {
      StepState s = steps.get(step.name());
      if (!s.terminal()) {
        return new Outcome(RunPhase.RUNNING, null, null, wakeAt);
      }
      if (s.phase == StepPhase.FAILED && !step.mayFail()) {
        failed.add(step.name());
      }
    }
    if (failed.isEmpty()) {
      return new Outcome(RunPhase.SUCCEEDED, null, "every step succeeded or was skipped", null);
    }
    StepState first = steps.get(failed.get(0));
    return new Outcome(
        RunPhase.FAILED,
        "StepFailed",
        "step '"
            + first.name
            + "' failed"
            + (first.reason == null ? "" : ": " + first.reason)
            + (first.message == null ? "" : " (" + first.message + ")")
            + (failed.size() > 1 ? "; " + (failed.size() - 1) + " more failed" : ""),
        null);
  }
}
