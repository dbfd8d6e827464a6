package io.sluice.pipeline;

import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.Sql;
import io.sluice.api.StoreException;
import io.sluice.job.LabelSelector;
import io.sluice.job.Timestamps;
import io.sluice.job.Workload;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Pipelines and their revisions in PostgreSQL, with plain JDBC on the caller's transaction. Lists
 * are keyset-paginated on {@code (namespace, name)} through the live-name index.
 */
@ApplicationScoped
public class PipelineRepository {
  static final String CURSOR_KIND = "pipeline";
  static final String REVISION_CURSOR_KIND = "pipeline-revision";

  /** The unique index of live pipeline names (migration V8). */
  static final String LIVE_NAME_INDEX = "pipelines_live_name";

  /** The columns {@link #row} reads, in its order. */
  static final String COLUMNS =
      "id, namespace, name, current_revision, spec::text, spec_hash, version, suspended,"
          + " next_run_number, next_fire_at, created_at, created_by, updated_at,"
          + " (SELECT number || ' ' || phase FROM pipeline_runs r WHERE r.pipeline_id = pipelines.id"
          + " AND r.deleted_at IS NULL ORDER BY number DESC LIMIT 1)";

  private final DataSource db;

  public PipelineRepository(DataSource db) {
    this.db = db;
  }

  /** The workloads of the live jobs among {@code names} in {@code namespace}. */
  public Map<String, Workload> liveJobWorkloads(String namespace, Set<String> names) {
    Map<String, Workload> out = new HashMap<>();
    if (names.isEmpty()) {
      return out;
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT name, workload FROM jobs WHERE namespace = ? AND name = ANY (?)"
                    + " AND deleted_at IS NULL")) {
      ps.setString(1, namespace);
      ps.setArray(2, c.createArrayOf("varchar", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), Workload.valueOf(rs.getString(2).toUpperCase()));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("Could not read the jobs a pipeline names", e);
    }
  }

  Optional<PipelineRow> findLive(String namespace, String name) {
    return one(
        "SELECT "
            + COLUMNS
            + " FROM pipelines WHERE namespace = ? AND name = ? AND deleted_at IS NULL",
        namespace,
        name);
  }

  /** The live pipeline, row-locked until the transaction ends. */
  Optional<PipelineRow> lockLive(String namespace, String name) {
    return one(
        "SELECT "
            + COLUMNS
            + " FROM pipelines WHERE namespace = ? AND name = ? AND deleted_at IS NULL FOR UPDATE",
        namespace,
        name);
  }

  private Optional<PipelineRow> one(String sql, Object... params) {
    return Sql.query(
            db,
            "Could not read pipeline",
            sql,
            java.util.Arrays.asList(params),
            PipelineRepository::row)
        .stream()
        .findFirst();
  }

  static PipelineRow row(ResultSet rs) throws SQLException {
    int i = 1;
    return new PipelineRow(
        rs.getObject(i++, UUID.class),
        rs.getString(i++),
        rs.getString(i++),
        rs.getInt(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getLong(i++),
        rs.getBoolean(i++),
        rs.getInt(i++),
        Timestamps.read(rs, i++),
        Timestamps.read(rs, i++),
        rs.getString(i++),
        Timestamps.read(rs, i++),
        lastRun(rs.getString(i), 0),
        (String) lastRun(rs.getString(i), 1));
  }

  /** Part {@code part} of the "number phase" of the newest run: the number, or the phase. */
  @SuppressWarnings("unchecked")
  private static <T> T lastRun(String numberAndPhase, int part) {
    if (numberAndPhase == null) {
      return null;
    }
    String[] p = numberAndPhase.split(" ");
    return (T) (part == 0 ? (Object) Integer.valueOf(p[0]) : p[1]);
  }

  /** Inserts a pipeline and its first revision; a taken name fails on the live-name index. */
  void insert(PipelineRow p, String labels, String changeCause) throws SQLException {
    try (Connection c = db.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO pipelines (id, namespace, name, current_revision, spec, spec_hash, labels,"
                  + " version, suspended, next_run_number, next_fire_at, created_at, created_by,"
                  + " updated_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)")) {
        int i = 1;
        ps.setObject(i++, p.id());
        ps.setString(i++, p.namespace());
        ps.setString(i++, p.name());
        ps.setInt(i++, p.currentRevision());
        ps.setString(i++, p.spec());
        ps.setString(i++, p.specHash());
        ps.setString(i++, labels);
        ps.setLong(i++, p.version());
        ps.setBoolean(i++, p.suspended());
        ps.setInt(i++, p.nextRunNumber());
        ps.setObject(i++, Timestamps.column(p.nextFireAt()));
        ps.setObject(i++, Timestamps.column(p.createdAt()));
        ps.setString(i++, p.createdBy());
        ps.setObject(i, Timestamps.column(p.updatedAt()));
        ps.executeUpdate();
      }
      insertRevision(
          c, p.id(), p.currentRevision(), p.spec(), p.specHash(), p.createdBy(), changeCause, null);
    }
  }

  /** Points the pipeline at a new revision holding {@code spec}; returns the new version. */
  long newRevision(
      PipelineRow p,
      String spec,
      String specHash,
      String labels,
      Instant nextFireAt,
      String actor,
      String changeCause,
      Integer rollbackOf) {
    try (Connection c = db.getConnection()) {
      insertRevision(
          c, p.id(), p.currentRevision() + 1, spec, specHash, actor, changeCause, rollbackOf);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE pipelines SET current_revision = current_revision + 1, spec = ?::jsonb,"
                  + " spec_hash = ?, labels = ?::jsonb, version = version + 1, updated_at = now(),"
                  + " next_fire_at = ? WHERE id = ? RETURNING version")) {
        ps.setString(1, spec);
        ps.setString(2, specHash);
        ps.setString(3, labels);
        ps.setObject(4, Timestamps.column(nextFireAt));
        ps.setObject(5, p.id());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("Could not store a revision of pipeline " + p.name(), e);
    }
  }

  private static void insertRevision(
      Connection c,
      UUID id,
      int revision,
      String spec,
      String specHash,
      String actor,
      String changeCause,
      Integer rollbackOf)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO pipeline_revisions (pipeline_id, revision, spec, spec_hash, created_at,"
                + " created_by, change_cause, rollback_of) VALUES (?, ?, ?::jsonb, ?, now(), ?, ?, ?)")) {
      ps.setObject(1, id);
      ps.setInt(2, revision);
      ps.setString(3, spec);
      ps.setString(4, specHash);
      ps.setString(5, actor);
      ps.setString(6, changeCause);
      ps.setObject(7, rollbackOf, java.sql.Types.INTEGER);
      ps.executeUpdate();
    }
  }

  /** Suspends or resumes the schedule; returns the new version. */
  long setSuspended(UUID id, boolean suspended, Instant nextFireAt) {
    return update(
        "UPDATE pipelines SET suspended = ?, next_fire_at = ?, version = version + 1,"
            + " updated_at = now() WHERE id = ? RETURNING version",
        suspended,
        Timestamps.column(nextFireAt),
        id);
  }

  long markDeleted(UUID id, String actor) {
    return update(
        "UPDATE pipelines SET deleted_at = now(), deleted_by = ?, next_fire_at = NULL,"
            + " version = version + 1, updated_at = now() WHERE id = ? RETURNING version",
        actor,
        id);
  }

  private long update(String sql, Object... params) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not change pipeline", e);
    }
  }

  /** One page of live pipelines in (namespace, name) order. */
  Page<PipelineRow> list(String namespace, LabelSelector selector, PageRequest page) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM pipelines WHERE deleted_at IS NULL");
    List<Object> params = new ArrayList<>();
    if (namespace != null) {
      sql.append(" AND namespace = ?");
      params.add(namespace);
    }
    for (String clause : selector.clauses()) {
      sql.append(" AND ").append(clause);
    }
    params.addAll(selector.values());
    if (page.hasCursor()) {
      List<String> after = Cursor.decode(page.cursor(), CURSOR_KIND, 2);
      sql.append(" AND (namespace, name) > (?, ?)");
      params.addAll(after);
    }
    sql.append(" ORDER BY namespace, name LIMIT ?");
    params.add(page.limit() + 1);
    List<PipelineRow> rows =
        Sql.query(db, "Could not list pipelines", sql.toString(), params, PipelineRepository::row);
    return Page.of(
        rows, page.limit(), last -> Cursor.encode(CURSOR_KIND, last.namespace(), last.name()));
  }

  /** A revision: its number, spec JSON, author, time, cause and rollback origin. */
  record RevisionRow(
      int revision,
      String spec,
      String createdBy,
      Instant createdAt,
      String changeCause,
      Integer rollbackOf) {}

  Optional<RevisionRow> findRevision(UUID id, int revision) {
    List<RevisionRow> rows =
        revisions(
            "SELECT revision, spec::text, created_by, created_at, change_cause, rollback_of"
                + " FROM pipeline_revisions WHERE pipeline_id = ? AND revision = ?",
            id,
            revision);
    return rows.stream().findFirst();
  }

  Page<RevisionRow> listRevisions(UUID id, PageRequest page) {
    long before =
        page.hasCursor()
            ? Cursor.decodeLong(page.cursor(), REVISION_CURSOR_KIND)
            : Integer.MAX_VALUE;
    List<RevisionRow> rows =
        revisions(
            "SELECT revision, spec::text, created_by, created_at, change_cause, rollback_of"
                + " FROM pipeline_revisions WHERE pipeline_id = ? AND revision < ?"
                + " ORDER BY revision DESC LIMIT ?",
            id,
            (int) Math.min(before, Integer.MAX_VALUE),
            page.limit() + 1);
    return Page.of(
        rows,
        page.limit(),
        last -> Cursor.encode(REVISION_CURSOR_KIND, Integer.toString(last.revision())));
  }

  private List<RevisionRow> revisions(String sql, Object... params) {
    return Sql.query(
        db,
        "Could not read pipeline revisions",
        sql,
        java.util.Arrays.asList(params),
        rs ->
            new RevisionRow(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                Timestamps.read(rs, 4),
                rs.getString(5),
                (Integer) rs.getObject(6)));
  }
}
