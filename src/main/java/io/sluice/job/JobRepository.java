package io.sluice.job;

import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.Sql;
import io.sluice.api.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Queries over jobs and their revisions. Lists are keyset-paginated on {@code (namespace, name)}
 * through the {@code jobs_live_name} index: cost grows with the page size, not the table.
 */
@ApplicationScoped
public class JobRepository {
  static final String CURSOR_KIND = "job";

  private final DataSource db;

  public JobRepository(DataSource db) {
    this.db = db;
  }

  static final String REVISION_CURSOR_KIND = "revision";

  /**
   * Ends the job's unfinished runs as CANCELLED, saying why: a deleted job's runs would otherwise
   * stay PENDING or RUNNING forever, since nothing observes them any more. Joins the caller's
   * transaction; returns how many runs it ended.
   */
  public int cancelOpenRuns(UUID jobId, String reason, String message) {
    try (Connection c = db.getConnection();
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE runs SET phase = 'CANCELLED', finished_at = now(), reason = ?, message = ?"
                    + " WHERE job_id = ? AND phase IN ('PENDING', 'RUNNING')")) {
      update.setString(1, reason);
      update.setString(2, message);
      update.setObject(3, jobId);
      return update.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not cancel the job's runs", e);
    }
  }

  /** What a namespace's live jobs use of its quota: how many, and their specs' stored bytes. */
  public record Usage(long jobs, long specBytes) {}

  /**
   * The namespace's live jobs and spec bytes (kept by a trigger, migration V13), locked until the
   * transaction ends so that concurrent writers check the quota one after another. Call it after
   * inserting or locking the job's own row: a job's row, then its namespace's, is the lock order of
   * every write. Joins the caller's transaction.
   */
  public Usage lockUsage(String namespace) {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT jobs, spec_bytes FROM namespace_usage WHERE namespace = ? FOR UPDATE")) {
      q.setString(1, namespace);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? new Usage(rs.getLong(1), rs.getLong(2)) : new Usage(0, 0);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read namespace usage", e);
    }
  }

  public Optional<JobEntity> findLive(String namespace, String name) {
    return live(namespace, name, "");
  }

  /** The live job, row-locked until the transaction ends, so concurrent writers queue. */
  public Optional<JobEntity> lockLive(String namespace, String name) {
    return live(namespace, name, " FOR UPDATE").map(JobRows::forUpdate);
  }

  private Optional<JobEntity> live(String namespace, String name, String lock) {
    return jobs(
            JobRows.SELECT + " WHERE namespace = ? AND name = ? AND deleted_at IS NULL" + lock,
            List.of(namespace, name))
        .stream()
        .findFirst();
  }

  /** Jobs by id, deleted ones too. */
  public List<JobEntity> byIds(java.util.Collection<UUID> ids) {
    return jobs(JobRows.SELECT + " WHERE id = ANY(?)", List.of((Object) ids.toArray(UUID[]::new)));
  }

  /**
   * Writes what the caller changed in a job it locked ({@link #lockLive}) and bumps its version:
   * the new ETag is {@code job.version} afterwards.
   */
  public void save(JobEntity job) {
    try (Connection c = db.getConnection()) {
      JobRows.update(c, job);
    } catch (SQLException e) {
      throw new StoreException("Could not store job " + job.name, e);
    }
  }

  /** One page of live jobs in sort order, plus whether another page follows. */
  public Page<JobEntity> list(JobFilter filter, PageRequest page) {
    StringBuilder sql = new StringBuilder(JobRows.SELECT + " WHERE deleted_at IS NULL");
    List<Object> params = new ArrayList<>();
    if (filter.namespace() != null) {
      sql.append(" AND namespace = ?");
      params.add(filter.namespace());
    }
    if (filter.visible() != null) {
      if (filter.visible().isEmpty()) {
        return Page.of(List.of(), page.limit(), last -> null);
      }
      sql.append(" AND namespace = ANY(?)");
      params.add(filter.visible().toArray(String[]::new));
    }
    if (filter.type() != null) {
      sql.append(" AND type = ?");
      params.add(filter.type().value());
    }
    if (filter.workload() != null) {
      sql.append(" AND workload = ?");
      params.add(filter.workload().value());
    }
    if (filter.phase() != null) {
      sql.append(" AND phase = ?");
      params.add(filter.phase().name());
    }
    LabelSelector labels = filter.selector();
    for (String clause : labels.clauses()) {
      sql.append(" AND ").append(clause);
    }
    params.addAll(labels.values());
    if (page.hasCursor()) {
      List<String> after = Cursor.decode(page.cursor(), CURSOR_KIND, 2);
      sql.append(" AND (namespace, name) > (?, ?)");
      params.addAll(after);
    }
    sql.append(" ORDER BY namespace, name LIMIT ?");
    params.add(page.limit() + 1);
    return Page.of(
        jobs(sql.toString(), params),
        page.limit(),
        last -> Cursor.encode(CURSOR_KIND, last.namespace, last.name));
  }

  private List<JobEntity> jobs(String sql, List<Object> params) {
    return Sql.query(db, "Could not read jobs", sql, params, JobRows::read);
  }

  private static final String SELECT_REVISION =
      "SELECT job_id, revision, spec, spec_hash, created_at, created_by, change_cause,"
          + " rollback_of, automatic FROM job_revisions";

  public Optional<JobRevisionEntity> findRevision(UUID jobId, int revision) {
    return revisions(SELECT_REVISION + " WHERE job_id = ? AND revision = ?", jobId, revision)
        .stream()
        .findFirst();
  }

  public Page<JobRevisionEntity> listRevisions(UUID jobId, PageRequest page) {
    long before =
        page.hasCursor()
            ? Cursor.decodeLong(page.cursor(), REVISION_CURSOR_KIND)
            : Integer.MAX_VALUE;
    List<JobRevisionEntity> rows =
        revisions(
            SELECT_REVISION + " WHERE job_id = ? AND revision < ? ORDER BY revision DESC LIMIT ?",
            jobId,
            (int) Math.min(before, Integer.MAX_VALUE),
            page.limit() + 1);
    return Page.of(
        rows,
        page.limit(),
        last -> Cursor.encode(REVISION_CURSOR_KIND, Integer.toString(last.revision)));
  }

  private List<JobRevisionEntity> revisions(String sql, Object... params) {
    return Sql.query(
        db,
        "Could not read revisions",
        sql,
        java.util.Arrays.asList(params),
        JobRepository::revision);
  }

  private static JobRevisionEntity revision(ResultSet rs) throws SQLException {
    JobRevisionEntity r = new JobRevisionEntity();
    int i = 1;
    r.jobId = rs.getObject(i++, UUID.class);
    r.revision = rs.getInt(i++);
    r.spec = rs.getString(i++);
    r.specHash = rs.getString(i++);
    r.createdAt = Timestamps.read(rs, i++);
    r.createdBy = rs.getString(i++);
    r.changeCause = rs.getString(i++);
    r.rollbackOf = rs.getObject(i++, Integer.class);
    r.automatic = rs.getBoolean(i);
    return r;
  }

  public void persistRevision(JobRevisionEntity revision) {
    try (Connection c = db.getConnection()) {
      insertRevision(c, revision);
    } catch (SQLException e) {
      throw new StoreException("Could not store revision " + revision.revision, e);
    }
  }

  private static final String INSERT_JOB =
      "INSERT INTO jobs (id, namespace, name, type, workload, current_revision, spec, spec_hash,"
          + " labels, version, phase, message, created_at, created_by, updated_at, purge_volumes,"
          + " generation, next_reconcile_at, next_run_number, suspended)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String INSERT_REVISION =
      "INSERT INTO job_revisions (job_id, revision, spec, spec_hash, created_at, created_by,"
          + " change_cause, rollback_of, automatic) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)";

  /**
   * Inserts a new job and its first revision in the caller's transaction. A taken live name fails
   * with the unique violation of {@code jobs_live_name}.
   */
  public void insertNew(JobEntity job, JobRevisionEntity revision) throws SQLException {
    try (Connection c = db.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(INSERT_JOB)) {
        int i = 1;
        ps.setObject(i++, job.id);
        ps.setString(i++, job.namespace);
        ps.setString(i++, job.name);
        ps.setString(i++, job.type.value());
        ps.setString(i++, job.workload.value());
        ps.setInt(i++, job.currentRevision);
        ps.setString(i++, job.spec);
        ps.setString(i++, job.specHash);
        ps.setString(i++, job.labels);
        ps.setLong(i++, job.version);
        ps.setString(i++, job.phase.name());
        ps.setString(i++, job.message);
        ps.setObject(i++, Timestamps.column(job.createdAt));
        ps.setString(i++, job.createdBy);
        ps.setObject(i++, Timestamps.column(job.updatedAt));
        ps.setBoolean(i++, job.purgeVolumes);
        ps.setLong(i++, job.generation);
        ps.setObject(i++, Timestamps.column(job.nextReconcileAt));
        ps.setInt(i++, job.nextRunNumber);
        ps.setBoolean(i, job.suspended);
        ps.executeUpdate();
      }
      insertRevision(c, revision);
    }
  }

  private static void insertRevision(Connection c, JobRevisionEntity revision) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_REVISION)) {
      int i = 1;
      ps.setObject(i++, revision.jobId);
      ps.setInt(i++, revision.revision);
      ps.setString(i++, revision.spec);
      ps.setString(i++, revision.specHash);
      ps.setObject(i++, Timestamps.column(revision.createdAt));
      ps.setString(i++, revision.createdBy);
      ps.setString(i++, revision.changeCause);
      ps.setObject(i++, revision.rollbackOf, java.sql.Types.INTEGER);
      ps.setBoolean(i, revision.automatic);
      ps.executeUpdate();
    }
  }
}
