package io.sluice.run;

import io.sluice.job.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Run rows with plain JDBC on the caller's connection: the one INSERT, for a manual run (the API's
 * hottest write after creating jobs) and for an attempt of a pipeline step alike, and the reads.
 */
public final class RunRows {
  private RunRows() {}

  static final String INSERT =
      "INSERT INTO runs (id, job_id, number, namespace, job_name, revision, k8s_name, trigger,"
          + " overrides, phase, created_at, created_by, attempts, cleaned_up, pipeline_run_id,"
          + " pipeline_name, pipeline_run, pipeline_step, step_attempt)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 0, false, ?, ?, ?, ?, ?)";

  /**
   * Inserts {@code run}; {@code pipelineRunId} (with the entity's pipeline fields) is null for a
   * run that no pipeline started.
   */
  public static void insert(Connection c, RunEntity run, java.util.UUID pipelineRunId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bind(ps, 1, run, pipelineRunId);
      ps.executeUpdate();
    }
  }

  /** Binds {@link #INSERT}'s parameters from {@code i} on; returns the index after the last. */
  static int bind(PreparedStatement ps, int i, RunEntity run, java.util.UUID pipelineRunId)
      throws SQLException {
    ps.setObject(i++, run.id);
    ps.setObject(i++, run.jobId);
    ps.setInt(i++, run.number);
    ps.setString(i++, run.namespace);
    ps.setString(i++, run.jobName);
    ps.setInt(i++, run.revision);
    ps.setString(i++, run.k8sName);
    ps.setString(i++, run.trigger);
    ps.setString(i++, run.overrides);
    ps.setString(i++, run.phase.name());
    ps.setObject(i++, Timestamps.column(run.createdAt));
    ps.setString(i++, run.createdBy);
    ps.setObject(i++, pipelineRunId);
    ps.setString(i++, run.pipelineName);
    ps.setObject(i++, run.pipelineRun, java.sql.Types.INTEGER);
    ps.setString(i++, run.pipelineStep);
    ps.setObject(i++, run.stepAttempt, java.sql.Types.INTEGER);
    return i;
  }

  static final String SELECT =
      "SELECT id, job_id, number, namespace, job_name, revision, k8s_name, trigger, overrides,"
          + " phase, created_at, created_by, submitted_at, started_at, finished_at, attempts,"
          + " pod_issues, reason, message, exit_code, cleaned_up, pipeline_name, pipeline_run,"
          + " pipeline_step, step_attempt FROM runs";

  /** The current row, selected with {@link #SELECT}'s columns. */
  static RunEntity read(ResultSet rs) throws SQLException {
    RunEntity r = new RunEntity();
    int i = 1;
    r.id = rs.getObject(i++, java.util.UUID.class);
    r.jobId = rs.getObject(i++, java.util.UUID.class);
    r.number = rs.getInt(i++);
    r.namespace = rs.getString(i++);
    r.jobName = rs.getString(i++);
    r.revision = rs.getInt(i++);
    r.k8sName = rs.getString(i++);
    r.trigger = rs.getString(i++);
    r.overrides = rs.getString(i++);
    r.phase = RunPhase.valueOf(rs.getString(i++));
    r.createdAt = Timestamps.read(rs, i++);
    r.createdBy = rs.getString(i++);
    r.submittedAt = Timestamps.read(rs, i++);
    r.startedAt = Timestamps.read(rs, i++);
    r.finishedAt = Timestamps.read(rs, i++);
    r.attempts = rs.getInt(i++);
    r.podIssues = rs.getString(i++);
    r.reason = rs.getString(i++);
    r.message = rs.getString(i++);
    r.exitCode = rs.getObject(i++, Integer.class);
    r.cleanedUp = rs.getBoolean(i++);
    r.pipelineName = rs.getString(i++);
    r.pipelineRun = rs.getObject(i++, Integer.class);
    r.pipelineStep = rs.getString(i++);
    r.stepAttempt = rs.getObject(i, Integer.class);
    return r;
  }
}
