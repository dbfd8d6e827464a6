package io.sluice.pipeline;

import io.sluice.api.FieldError;
import io.sluice.api.SluiceException;
import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.job.Ids;
import io.sluice.job.SpecCodec;
import io.sluice.run.RunPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts a pipeline run, for the API and the schedule alike: takes the run's number, resolves its
 * parameters, pins the pipeline revision and the current revision of every job its steps name, and
 * writes the run and its WAITING steps. The engine takes it from there.
 */
final class RunStart {
  private RunStart() {}

  /** The run's parameter values: the request's, then the declared defaults; 422 on a mismatch. */
  static Map<String, String> parameters(PipelineSpec spec, Map<String, String> given) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, PipelineSpec.Parameter> declared = new HashMap<>();
    spec.parametersOrEmpty().forEach(p -> declared.put(p.name(), p));
    for (String name : new java.util.TreeSet<>(given.keySet())) {
      if (!declared.containsKey(name)) {
        errors.add(
            new FieldError(
                "parameters." + name,
                "is not a parameter of this pipeline"
                    + (declared.isEmpty()
                        ? " (it declares none)"
                        : " (declared: " + new java.util.TreeSet<>(declared.keySet()) + ")")));
      }
    }
    for (PipelineSpec.Parameter p : spec.parametersOrEmpty()) {
      String value = given.getOrDefault(p.name(), p.defaultValue());
      if (value == null) {
        errors.add(new FieldError("parameters." + p.name(), "is required: it has no default"));
      } else if (value.indexOf('\0') >= 0) {
        errors.add(new FieldError("parameters." + p.name(), "must not contain NUL characters"));
      } else {
        values.put(p.name(), value);
      }
    }
    if (!errors.isEmpty()) {
      throw SluiceException.invalid(errors);
    }
    return values;
  }

  /**
   * Writes run {@code number} of {@code pipeline} (whose row the caller has locked and whose number
   * it has taken) and returns it.
   */
  static PipelineRunStore.RunRow insert(
      Connection c,
      PipelineRow pipeline,
      int number,
      PipelineSpec spec,
      Map<String, String> parameters,
      String trigger,
      String actor)
      throws SQLException {
    UUID id = Ids.next();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO pipeline_runs (id, pipeline_id, number, namespace, pipeline_name, revision,"
                + " trigger, parameters, phase, created_at, created_by, next_advance_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'PENDING', now(), ?, now())")) {
      int i = 1;
      ps.setObject(i++, id);
      ps.setObject(i++, pipeline.id());
      ps.setInt(i++, number);
      ps.setString(i++, pipeline.namespace());
      ps.setString(i++, pipeline.name());
      ps.setInt(i++, pipeline.currentRevision());
      ps.setString(i++, trigger);
      ps.setString(i++, SpecCodec.toJson(parameters));
      ps.setString(i, actor);
      ps.executeUpdate();
    }
    Map<String, Pin> pins = pins(c, pipeline.namespace(), spec);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO pipeline_steps (run_id, name, phase, job_id, job_revision)"
                + " VALUES (?, ?, 'WAITING', ?, ?)")) {
      for (PipelineSpec.Step step : spec.steps()) {
        Pin pin = pins.get(step.runsJob() ? step.job() : step.awaitReady());
        ps.setObject(1, id);
        ps.setString(2, step.name());
        ps.setObject(3, pin == null ? null : pin.job());
        ps.setObject(4, pin == null ? null : pin.revision(), java.sql.Types.INTEGER);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    PipelineRunStore.RunRow run =
        new PipelineRunStore.RunRow(
            id,
            pipeline.id(),
            number,
            pipeline.namespace(),
            pipeline.name(),
            pipeline.currentRevision(),
            RunPhase.PENDING,
            parameters,
            actor);
    return run;
  }

  /** A job pinned by a run: its id and its revision at the run's start. */
  record Pin(UUID job, int revision) {}

  /** The live jobs a spec names, by name, at their current revisions. */
  static Map<String, Pin> pins(Connection c, String namespace, PipelineSpec spec)
      throws SQLException {
    java.util.Set<String> names = new java.util.HashSet<>();
    spec.steps().forEach(s -> names.add(s.runsJob() ? s.job() : s.awaitReady()));
    Map<String, Pin> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, id, current_revision FROM jobs WHERE namespace = ? AND name = ANY (?)"
                + " AND deleted_at IS NULL")) {
      ps.setString(1, namespace);
      ps.setArray(2, c.createArrayOf("varchar", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new Pin(rs.getObject(2, UUID.class), rs.getInt(3)));
        }
      }
    }
    return out;
  }

  /** Takes the pipeline's next run number; the caller holds the pipeline's row. */
  static int takeNumber(Connection c, UUID pipeline) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipelines SET next_run_number = next_run_number + 1"
                + " WHERE id = ? RETURNING next_run_number - 1")) {
      ps.setObject(1, pipeline);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static void recordCreated(
      Connection c, PipelineRunStore.RunRow run, String trigger, AuditLog.Actor who)
      throws SQLException {
    AuditLog.insert(
        c,
        PipelineRunStore.subject(run),
        who,
        Actions.PIPELINE_RUN_CREATED,
        "success",
        run.revision(),
        "run " + run.number() + (trigger.equals("schedule") ? " (scheduled)" : ""));
  }
}
