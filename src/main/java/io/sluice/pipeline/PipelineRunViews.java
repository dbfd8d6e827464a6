package io.sluice.pipeline;

import static io.sluice.pipeline.PipelineMapper.time;

import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.job.SpecCodec;
import io.sluice.job.Timestamps;
import io.sluice.run.RunPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads pipeline runs as the API shows them: each run with its steps in the spec's order, and for
 * one run every attempt of every step. A page of runs costs three statements, whatever its size.
 */
final class PipelineRunViews {
  static final String CURSOR_KIND = "pipeline-run";

  private PipelineRunViews() {}

  private record Head(
      UUID id,
      int number,
      String pipeline,
      int revision,
      String trigger,
      RunPhase phase,
      int attempt,
      Map<String, String> parameters,
      String createdBy,
      java.time.Instant createdAt,
      java.time.Instant startedAt,
      java.time.Instant finishedAt,
      String reason,
      String message,
      UUID pipelineId) {}

  private static final String HEAD =
      "SELECT id, number, pipeline_name, revision, trigger, phase, attempt, parameters::text,"
          + " created_by, created_at, started_at, finished_at, reason, message, pipeline_id"
          + " FROM pipeline_runs";

  static PipelineRunResponse one(Connection c, UUID pipelineId, int number) throws SQLException {
    List<Head> heads =
        heads(
            c,
            HEAD + " WHERE pipeline_id = ? AND number = ? AND deleted_at IS NULL",
            pipelineId,
            number);
    if (heads.isEmpty()) {
      return null;
    }
    return views(c, heads, true).get(0);
  }

  static Page<PipelineRunResponse> page(
      Connection c, UUID pipelineId, RunPhase phase, PageRequest page) throws SQLException {
    long before =
        page.hasCursor() ? Cursor.decodeLong(page.cursor(), CURSOR_KIND) : Integer.MAX_VALUE;
    String sql =
        HEAD
            + " WHERE pipeline_id = ? AND number < ? AND deleted_at IS NULL"
            + (phase == null ? "" : " AND phase = ?")
            + " ORDER BY number DESC LIMIT ?";
    List<Head> heads =
        phase == null
            ? heads(c, sql, pipelineId, (int) Math.min(before, Integer.MAX_VALUE), page.limit() + 1)
            : heads(
                c,
                sql,
                pipelineId,
                (int) Math.min(before, Integer.MAX_VALUE),
                phase.name(),
                page.limit() + 1);
    Page<Head> p =
        Page.of(
            heads,
            page.limit(),
            last -> Cursor.encode(CURSOR_KIND, Integer.toString(last.number())));
    return new Page<>(views(c, p.items(), false), p.nextCursor());
  }

  @SuppressWarnings("unchecked")
  private static List<Head> heads(Connection c, String sql, Object... params) throws SQLException {
    List<Head> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Head(
                  rs.getObject(1, UUID.class),
                  rs.getInt(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getString(5),
                  RunPhase.valueOf(rs.getString(6)),
                  rs.getInt(7),
                  (Map<String, String>) SpecCodec.read(rs.getString(8), Map.class),
                  rs.getString(9),
                  Timestamps.read(rs, 10),
                  Timestamps.read(rs, 11),
                  Timestamps.read(rs, 12),
                  rs.getString(13),
                  rs.getString(14),
                  rs.getObject(15, UUID.class)));
        }
      }
    }
    return out;
  }

  private record StepRow(
      StepPhase phase,
      Integer revision,
      java.time.Instant startedAt,
      java.time.Instant finishedAt,
      java.time.Instant nextAttemptAt,
      String reason,
      String message) {}

  private static List<PipelineRunResponse> views(Connection c, List<Head> heads, boolean attempts)
      throws SQLException {
    if (heads.isEmpty()) {
      return List.of();
    }
    UUID[] ids = heads.stream().map(Head::id).toArray(UUID[]::new);
    Map<UUID, Map<String, StepRow>> steps = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT run_id, name, phase, job_revision, started_at, finished_at, next_attempt_at,"
                + " reason, message FROM pipeline_steps WHERE run_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          steps
              .computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
              .put(
                  rs.getString(2),
                  new StepRow(
                      StepPhase.valueOf(rs.getString(3)),
                      (Integer) rs.getObject(4),
                      Timestamps.read(rs, 5),
                      Timestamps.read(rs, 6),
                      Timestamps.read(rs, 7),
                      rs.getString(8),
                      rs.getString(9)));
        }
      }
    }
    Map<String, List<PipelineRunResponse.Attempt>> tries =
        attempts ? attempts(c, ids[0]) : Map.of();
    Map<String, PipelineSpec> specs = new HashMap<>();
    List<PipelineRunResponse> out = new ArrayList<>();
    for (Head h : heads) {
      String key = h.pipelineId() + "#" + h.revision();
      PipelineSpec spec = specs.get(key);
      if (spec == null) {
        spec =
            SpecCodec.read(
                PipelineRunStore.revisionSpec(c, h.pipelineId(), h.revision()), PipelineSpec.class);
        specs.put(key, spec);
      }
      List<PipelineRunResponse.Step> views = new ArrayList<>();
      Map<String, StepRow> rows = steps.getOrDefault(h.id(), Map.of());
      for (PipelineSpec.Step s : spec.steps()) {
        StepRow r = rows.get(s.name());
        if (r == null) {
          continue;
        }
        views.add(
            new PipelineRunResponse.Step(
                s.name(),
                s.job(),
                s.awaitReady(),
                s.runsJob() ? r.revision() : null,
                s.dependsOnOrEmpty(),
                s.whenOrDefault(),
                r.phase(),
                time(r.startedAt()),
                time(r.finishedAt()),
                time(r.nextAttemptAt()),
                r.reason(),
                r.message(),
                attempts ? tries.getOrDefault(s.name(), List.of()) : null));
      }
      out.add(
          new PipelineRunResponse(
              h.number(),
              h.pipeline(),
              h.revision(),
              h.trigger(),
              h.phase(),
              h.attempt(),
              h.parameters(),
              h.createdBy(),
              time(h.createdAt()),
              time(h.startedAt()),
              time(h.finishedAt()),
              h.reason(),
              h.message(),
              views));
    }
    return out;
  }

  private static Map<String, List<PipelineRunResponse.Attempt>> attempts(Connection c, UUID run)
      throws SQLException {
    Map<String, List<PipelineRunResponse.Attempt>> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pipeline_step, step_attempt, number, revision, phase, created_at, started_at,"
                + " finished_at, reason, message FROM runs WHERE pipeline_run_id = ?"
                + " ORDER BY pipeline_step, step_attempt")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(
                  new PipelineRunResponse.Attempt(
                      rs.getInt(2),
                      rs.getInt(3),
                      rs.getInt(4),
                      RunPhase.valueOf(rs.getString(5)),
                      time(Timestamps.read(rs, 6)),
                      time(Timestamps.read(rs, 7)),
                      time(Timestamps.read(rs, 8)),
                      rs.getString(9),
                      rs.getString(10)));
        }
      }
    }
    return out;
  }
}
