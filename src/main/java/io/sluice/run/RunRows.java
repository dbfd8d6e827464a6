package io.sluice.run;

import io.sluice.job.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The one INSERT of a run row, with plain JDBC on the caller's connection: for a manual run (the
 * API's hottest write after creating jobs) and for an attempt of a pipeline step alike.
 */
public final class RunRows {
  private RunRows() {}

  private static final String INSERT =
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
      int i = 1;
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
      ps.setObject(i, run.stepAttempt, java.sql.Types.INTEGER);
      ps.executeUpdate();
    }
  }
}
