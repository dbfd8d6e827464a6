package io.sluice.pipeline;

import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.job.Ids;
import io.sluice.job.JobPhase;
import io.sluice.job.SpecCodec;
import io.sluice.job.Timestamps;
import io.sluice.render.Names;
import io.sluice.run.CreateRunRequest;
import io.sluice.run.RunPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a pass of the engine reads and writes, on a connection the caller holds in a transaction: a
 * run's steps and their jobs, then the steps' new states, the runs started and cancelled, the run's
 * outcome and the events. Starting an attempt takes the job's next run number and inserts the run
 * in the same transaction that records the step, so a crash can never leave a started attempt
 * unrecorded, and the unique (run, step, attempt) index refuses a second start.
 */
final class PipelineRunStore {
  /** The run a pass works on, as its row says. */
  record RunRow(
      UUID id,
      UUID pipelineId,
      int number,
      String namespace,
      String pipeline,
      int revision,
      RunPhase phase,
      Map<String, String> parameters,
      String createdBy) {}

  private static final String RUN_COLUMNS =
      "id, pipeline_id, number, namespace, pipeline_name, revision, phase, parameters::text,"
          + " created_by";

  private PipelineRunStore() {}

  /** Claims one due pipeline run, row-locked for the rest of the transaction; null when none. */
  static RunRow claimDue(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + RUN_COLUMNS
                + " FROM pipeline_runs WHERE phase IN ('PENDING', 'RUNNING')"
                + " AND next_advance_at <= now() ORDER BY next_advance_at LIMIT 1"
                + " FOR UPDATE SKIP LOCKED")) {
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? run(rs) : null;
      }
    }
  }

  /** A run by pipeline and number, row-locked (blocking) when {@code lock}. */
  static RunRow find(Connection c, UUID pipelineId, int number, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + RUN_COLUMNS
                + " FROM pipeline_runs WHERE pipeline_id = ? AND number = ? AND deleted_at IS NULL"
                + (lock ? " FOR UPDATE" : ""))) {
      ps.setObject(1, pipelineId);
      ps.setInt(2, number);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? run(rs) : null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static RunRow run(ResultSet rs) throws SQLException {
    return new RunRow(
        rs.getObject(1, UUID.class),
        rs.getObject(2, UUID.class),
        rs.getInt(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        RunPhase.valueOf(rs.getString(7)),
        (Map<String, String>) SpecCodec.read(rs.getString(8), Map.class),
        rs.getString(9));
  }

  static String revisionSpec(Connection c, UUID pipelineId, int revision) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT spec::text FROM pipeline_revisions WHERE pipeline_id = ? AND revision = ?")) {
      ps.setObject(1, pipelineId);
      ps.setInt(2, revision);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("pipeline revision " + revision + " is missing");
        }
        return rs.getString(1);
      }
    }
  }

  /** The steps of a run with their newest attempts and their jobs as they are now. */
  static Map<String, StepState> steps(Connection c, UUID runId) throws SQLException {
    Map<String, StepState> steps = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, phase, attempts, retries_used, started_at, finished_at, next_attempt_at,"
                + " reason, message, job_id, job_revision FROM pipeline_steps WHERE run_id = ?")) {
      ps.setObject(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StepState s = new StepState(rs.getString(1), StepPhase.valueOf(rs.getString(2)));
          s.attempts = rs.getInt(3);
          s.retriesUsed = rs.getInt(4);
          s.startedAt = Timestamps.read(rs, 5);
          s.finishedAt = Timestamps.read(rs, 6);
          s.nextAttemptAt = Timestamps.read(rs, 7);
          s.reason = rs.getString(8);
          s.message = rs.getString(9);
          s.jobId = rs.getObject(10, UUID.class);
          s.jobRevision = rs.getInt(11);
          steps.put(s.name, s);
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT ON (pipeline_step) pipeline_step, step_attempt, number, phase,"
                + " created_at, reason, message FROM runs WHERE pipeline_run_id = ?"
                + " ORDER BY pipeline_step, step_attempt DESC")) {
      ps.setObject(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StepState s = steps.get(rs.getString(1));
          if (s != null && rs.getInt(2) == s.attempts) {
            s.latest =
                new StepState.Latest(
                    rs.getInt(2),
                    rs.getInt(3),
                    RunPhase.valueOf(rs.getString(4)),
                    Timestamps.read(rs, 5),
                    rs.getString(6),
                    rs.getString(7));
          }
        }
      }
    }
    Set<UUID> jobs = new java.util.HashSet<>();
    steps.values().stream().filter(s -> s.jobId != null).forEach(s -> jobs.add(s.jobId));
    Map<UUID, StepState.JobState> states = jobStates(c, jobs);
    for (StepState s : steps.values()) {
      UUID job = s.jobId;
      s.job =
          job == null
              ? new StepState.JobState(
                  false, false, null, null, "it did not exist when the run started")
              : states.getOrDefault(job, StepState.JobState.GONE);
    }
    return steps;
  }

  private static Map<UUID, StepState.JobState> jobStates(Connection c, Set<UUID> ids)
      throws SQLException {
    Map<UUID, StepState.JobState> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, deleted_at IS NULL, suspended, phase, message FROM jobs WHERE id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(
              rs.getObject(1, UUID.class),
              new StepState.JobState(
                  rs.getBoolean(2),
                  rs.getBoolean(3),
                  JobPhase.valueOf(rs.getString(4)),
                  rs.getString(5),
                  null));
        }
      }
    }
    return out;
  }

  /** The jobs woken by a pass: their reconciler must create or delete Kubernetes Jobs. */
  record Written(List<UUID> jobsChanged) {}

  /** Writes what {@link Advance} decided; returns the jobs whose runs changed. */
  static Written save(
      Connection c,
      RunRow run,
      PipelineSpec spec,
      Map<String, StepState> steps,
      Advance.Outcome outcome,
      Instant resyncAt)
      throws SQLException {
    List<UUID> jobs = new ArrayList<>();
    boolean again = false;
    AuditLog.Subject subject = subject(run);
    for (PipelineSpec.Step step : spec.steps()) {
      StepState s = steps.get(step.name());
      if (s.cancelAttempt != null) {
        UUID job = cancelAttempt(c, run, s, s.cancelAttempt);
        if (job != null) {
          jobs.add(job);
        }
      }
      if (s.start) {
        UUID job = startAttempt(c, run, step, s);
        if (job != null) {
          jobs.add(job);
        } else {
          again = true; // the job went away since the pass read it: the next pass decides
        }
      }
      if (s.changed) {
        writeStep(c, run.id(), s);
        event(
            c,
            subject,
            run,
            Actions.PIPELINE_STEP_PREFIX + s.phase.name().toLowerCase(),
            "run "
                + run.number()
                + ": step '"
                + s.name
                + "' "
                + s.phase
                + (s.message == null ? "" : ": " + s.message));
      }
    }
    writeOutcome(c, run, outcome, again ? Instant.now() : resyncAt);
    return new Written(jobs);
  }

  private static void writeOutcome(
      Connection c, RunRow run, Advance.Outcome outcome, Instant resyncAt) throws SQLException {
    Instant next = null;
    if (!outcome.ended()) {
      next =
          outcome.wakeAt() == null || outcome.wakeAt().isAfter(resyncAt)
              ? resyncAt
              : outcome.wakeAt();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipeline_runs SET phase = ?, started_at = coalesce(started_at, now()),"
                + " finished_at = CASE WHEN ? THEN now() ELSE NULL END, reason = ?, message = ?,"
                + " next_advance_at = ? WHERE id = ?")) {
      ps.setString(1, outcome.phase().name());
      ps.setBoolean(2, outcome.ended());
      ps.setString(3, outcome.reason());
      ps.setString(4, outcome.message());
      ps.setObject(5, Timestamps.column(next));
      ps.setObject(6, run.id());
      ps.executeUpdate();
    }
    if (run.phase() == RunPhase.PENDING) {
      event(c, subject(run), run, Actions.PIPELINE_RUN_STARTED, "run " + run.number() + " started");
    }
    if (outcome.ended()) {
      event(
          c,
          subject(run),
          run,
          Actions.PIPELINE_RUN_ENDED_PREFIX + outcome.phase().name().toLowerCase(),
          "run " + run.number() + " " + outcome.phase() + ": " + outcome.message());
    }
  }

  private static void writeStep(Connection c, UUID runId, StepState s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipeline_steps SET phase = ?, attempts = ?, retries_used = ?, started_at = ?,"
                + " finished_at = ?, next_attempt_at = ?, reason = ?, message = ?"
                + " WHERE run_id = ? AND name = ?")) {
      int i = 1;
      ps.setString(i++, s.phase.name());
      ps.setInt(i++, s.attempts);
      ps.setInt(i++, s.retriesUsed);
      ps.setObject(i++, Timestamps.column(s.startedAt));
      ps.setObject(i++, Timestamps.column(s.finishedAt));
      ps.setObject(i++, Timestamps.column(s.nextAttemptAt));
      ps.setString(i++, clip(s.reason, 128));
      ps.setString(i++, s.message);
      ps.setObject(i++, runId);
      ps.setString(i, s.name);
      ps.executeUpdate();
    }
  }

  /**
   * Starts attempt {@code s.attempts} of a job step: takes the job's next run number (locking the
   * job row, the order the reconciler locks in) and inserts the run at the pinned revision. Returns
   * the job, or null when it is gone (the next pass fails the step).
   */
  private static UUID startAttempt(Connection c, RunRow run, PipelineSpec.Step step, StepState s)
      throws SQLException {
    UUID jobId = s.jobId;
    int revision = s.jobRevision;
    int number;
    String jobName;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET next_run_number = next_run_number + 1, generation = generation + 1,"
                + " next_reconcile_at = now(), version = version + 1"
                + " WHERE id = ? AND "
                + io.sluice.api.Sql.liveById("")
                + " RETURNING next_run_number - 1, name")) {
      ps.setObject(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          s.start = false;
          s.attempts--;
          s.move(StepPhase.FAILED, Advance.JOB_DELETED, "job '" + step.job() + "' was deleted");
          s.finishedAt = Instant.now();
          return null;
        }
        number = rs.getInt(1);
        jobName = rs.getString(2);
      }
    }
    io.sluice.run.RunEntity attempt = new io.sluice.run.RunEntity();
    attempt.id = Ids.next();
    attempt.jobId = jobId;
    attempt.number = number;
    attempt.namespace = run.namespace();
    attempt.jobName = jobName;
    attempt.revision = revision;
    attempt.k8sName = Names.runJob(jobName, number);
    attempt.trigger = "pipeline";
    attempt.overrides = overrides(step, run.parameters());
    attempt.phase = RunPhase.PENDING;
    attempt.createdAt = Timestamps.now();
    attempt.createdBy = run.createdBy();
    attempt.pipelineName = run.pipeline();
    attempt.pipelineRun = run.number();
    attempt.pipelineStep = step.name();
    attempt.stepAttempt = s.attempts;
    io.sluice.run.RunRows.insert(c, attempt, run.id());
    AuditLog.insert(
        c,
        new AuditLog.Subject(jobId, run.namespace(), jobName),
        AuditLog.Actor.SLUICE,
        Actions.RUN_CREATED,
        "success",
        revision,
        "run "
            + number
            + " (pipeline "
            + run.pipeline()
            + " run "
            + run.number()
            + ", step '"
            + step.name()
            + "' attempt "
            + s.attempts
            + ")");
    return jobId;
  }

  /** The run's overrides: the step's args and env with the run's parameters substituted. */
  static String overrides(PipelineSpec.Step step, Map<String, String> params) {
    List<String> args = null;
    if (step.args() != null) {
      args = new ArrayList<>();
      for (String a : step.args()) {
        args.add(Substitution.apply(a, params));
      }
    }
    List<io.sluice.job.JobSpec.EnvVar> env = null;
    if (step.env() != null) {
      env = new ArrayList<>();
      for (io.sluice.job.JobSpec.EnvVar e : step.env()) {
        env.add(new io.sluice.job.JobSpec.EnvVar(e.name(), Substitution.apply(e.value(), params)));
      }
    }
    return args == null && env == null ? null : SpecCodec.toJson(new CreateRunRequest(args, env));
  }

  /** Cancels the running attempt of a step; returns its job to wake, or null if it had ended. */
  private static UUID cancelAttempt(Connection c, RunRow run, StepState s, String reason)
      throws SQLException {
    UUID job = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT job_id FROM runs WHERE pipeline_run_id = ? AND pipeline_step = ?"
                + " AND step_attempt = ? AND phase IN ('PENDING', 'RUNNING')")) {
      ps.setObject(1, run.id());
      ps.setString(2, s.name);
      ps.setInt(3, s.latest == null ? s.attempts : s.latest.attempt());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          job = rs.getObject(1, UUID.class);
        }
      }
    }
    if (job == null) {
      return null;
    }
    int attempt = s.latest == null ? s.attempts : s.latest.attempt();
    return cancelRuns(c, job, run.id(), s.name, attempt, reason, cancelMessage(reason, attempt))
        ? job
        : null;
  }

  private static String cancelMessage(String reason, int attempt) {
    return switch (reason) {
      case Advance.STEP_TIMEOUT -> "attempt " + attempt + " ran past the step's timeoutSeconds";
      case Advance.FAIL_FAST -> "cancelled by the pipeline: another step failed (failFast)";
      default -> "cancelled with its pipeline run";
    };
  }

  /**
   * Ends open runs of a pipeline run CANCELLED (those of one step and attempt, or all when {@code
   * step} is null), job row first; true when one ended.
   */
  static boolean cancelRuns(
      Connection c, UUID job, UUID runId, String step, int attempt, String reason, String message)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET generation = generation + 1, next_reconcile_at = now(),"
                + " version = version + 1 WHERE id = ?")) {
      ps.setObject(1, job);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET phase = 'CANCELLED', finished_at = now(), reason = ?, message = ?"
                + " WHERE job_id = ? AND pipeline_run_id = ? AND phase IN ('PENDING', 'RUNNING')"
                + (step == null ? "" : " AND pipeline_step = ? AND step_attempt = ?"))) {
      ps.setString(1, reason);
      ps.setString(2, message);
      ps.setObject(3, job);
      ps.setObject(4, runId);
      if (step != null) {
        ps.setString(5, step);
        ps.setInt(6, attempt);
      }
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Cancels an unfinished run: its open step runs (job rows first, in id order), its unfinished
   * steps and the run itself end CANCELLED. Returns the jobs whose runs were cancelled.
   */
  static List<UUID> cancel(
      Connection c, RunRow run, String reason, String message, AuditLog.Actor who)
      throws SQLException {
    List<UUID> jobs = jobsWithOpenRuns(c, run.id());
    for (UUID job : jobs) {
      cancelRuns(c, job, run.id(), null, 0, Advance.PIPELINE_CANCELLED, message);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipeline_steps SET phase = 'CANCELLED', finished_at = now(),"
                + " next_attempt_at = NULL, reason = ?, message = ?"
                + " WHERE run_id = ? AND phase IN ('WAITING', 'RUNNING')")) {
      ps.setString(1, Advance.PIPELINE_CANCELLED);
      ps.setString(2, message);
      ps.setObject(3, run.id());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipeline_runs SET phase = 'CANCELLED', finished_at = now(), reason = ?,"
                + " message = ?, next_advance_at = NULL WHERE id = ?")) {
      ps.setString(1, reason);
      ps.setString(2, message);
      ps.setObject(3, run.id());
      ps.executeUpdate();
    }
    AuditLog.insert(
        c,
        subject(run),
        who,
        Actions.PIPELINE_RUN_CANCELLED,
        "success",
        run.revision(),
        "run " + run.number() + ": " + message);
    return jobs;
  }

  /** The open (PENDING or RUNNING) runs of a pipeline, row-locked, oldest first. */
  static List<RunRow> openRuns(Connection c, UUID pipelineId) throws SQLException {
    List<RunRow> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + RUN_COLUMNS
                + " FROM pipeline_runs WHERE pipeline_id = ? AND phase IN ('PENDING', 'RUNNING')"
                + " ORDER BY number FOR UPDATE")) {
      ps.setObject(1, pipelineId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(run(rs));
        }
      }
    }
    return out;
  }

  /** The jobs with open runs started by a pipeline run. */
  static List<UUID> jobsWithOpenRuns(Connection c, UUID runId) throws SQLException {
    List<UUID> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT job_id FROM runs WHERE pipeline_run_id = ?"
                + " AND phase IN ('PENDING', 'RUNNING') ORDER BY job_id")) {
      ps.setObject(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return out;
  }

  static AuditLog.Subject subject(RunRow run) {
    return new AuditLog.Subject(
        run.pipelineId(), run.namespace(), run.pipeline(), AuditLog.Subject.PIPELINE);
  }

  static void event(
      Connection c, AuditLog.Subject subject, RunRow run, String action, String message)
      throws SQLException {
    AuditLog.insert(
        c, subject, AuditLog.Actor.SLUICE, action, "success", run.revision(), clip(message, 4000));
  }

  static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }
}
