package io.sluice.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Queries over jobs and their revisions. Lists are keyset-paginated on {@code (namespace, name)}
 * through the {@code jobs_live_name} index: cost grows with the page size, not the table.
 */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {
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
    try (java.sql.Connection c = db.getConnection();
        java.sql.PreparedStatement update =
            c.prepareStatement(
                "UPDATE runs SET phase = 'CANCELLED', finished_at = now(), reason = ?, message = ?"
                    + " WHERE job_id = ? AND phase IN ('PENDING', 'RUNNING')")) {
      update.setString(1, reason);
      update.setString(2, message);
      update.setObject(3, jobId);
      return update.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new jakarta.persistence.PersistenceException("Could not cancel the job's runs", e);
    }
  }

  /** What a namespace's live jobs use of its quota: how many, and their specs' stored bytes. */
  public record Usage(long jobs, long specBytes) {}

  /** Read from an index (migration V6), not the specs; joins the caller's transaction. */
  public Usage usage(String namespace) {
    try (java.sql.Connection c = db.getConnection();
        java.sql.PreparedStatement q =
            c.prepareStatement(
                "SELECT count(*), coalesce(sum(spec_bytes), 0) FROM jobs"
                    + " WHERE namespace = ? AND deleted_at IS NULL")) {
      q.setString(1, namespace);
      try (java.sql.ResultSet rs = q.executeQuery()) {
        rs.next();
        return new Usage(rs.getLong(1), rs.getLong(2));
      }
    } catch (java.sql.SQLException e) {
      throw new jakarta.persistence.PersistenceException("Could not read namespace usage", e);
    }
  }

  public Optional<JobEntity> findLive(String namespace, String name) {
    return find("namespace = ?1 and name = ?2 and deletedAt is null", namespace, name)
        .firstResultOptional();
  }

  /** The live job, row-locked until the transaction ends, so concurrent writers queue. */
  public Optional<JobEntity> lockLive(String namespace, String name) {
    return find("namespace = ?1 and name = ?2 and deletedAt is null", namespace, name)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }

  /** One page of live jobs in sort order, plus whether another page follows. */
  public Page<JobEntity> list(JobFilter filter, PageRequest page) {
    StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE deleted_at IS NULL");
    Map<String, Object> params = new HashMap<>();
    if (filter.namespace() != null) {
      sql.append(" AND namespace = :ns");
      params.put("ns", filter.namespace());
    }
    if (filter.visible() != null) {
      if (filter.visible().isEmpty()) {
        return Page.of(List.of(), page.limit(), last -> null);
      }
      sql.append(" AND namespace IN (:visible)");
      params.put("visible", List.copyOf(filter.visible()));
    }
    if (filter.type() != null) {
      sql.append(" AND type = :type");
      params.put("type", filter.type().value());
    }
    if (filter.workload() != null) {
      sql.append(" AND workload = :workload");
      params.put("workload", filter.workload().value());
    }
    if (filter.phase() != null) {
      sql.append(" AND phase = :phase");
      params.put("phase", filter.phase().name());
    }
    for (String clause : filter.selector().clauses()) {
      sql.append(" AND ").append(clause);
    }
    params.putAll(filter.selector().parameters());
    if (page.hasCursor()) {
      List<String> after = Cursor.decode(page.cursor(), CURSOR_KIND, 2);
      sql.append(" AND (namespace, name) > (:afterNs, :afterName)");
      params.put("afterNs", after.get(0));
      params.put("afterName", after.get(1));
    }
    sql.append(" ORDER BY namespace, name LIMIT :limit");
    params.put("limit", page.limit() + 1);
    Query query = getEntityManager().createNativeQuery(sql.toString(), JobEntity.class);
    params.forEach(query::setParameter);
    @SuppressWarnings("unchecked")
    List<JobEntity> rows = new ArrayList<>(query.getResultList());
    return Page.of(
        rows, page.limit(), last -> Cursor.encode(CURSOR_KIND, last.namespace, last.name));
  }

  public Optional<JobRevisionEntity> findRevision(UUID jobId, int revision) {
    return Optional.ofNullable(
        getEntityManager()
            .find(JobRevisionEntity.class, new JobRevisionEntity.Key(jobId, revision)));
  }

  public Page<JobRevisionEntity> listRevisions(UUID jobId, PageRequest page) {
    long before =
        page.hasCursor()
            ? Cursor.decodeLong(page.cursor(), REVISION_CURSOR_KIND)
            : Integer.MAX_VALUE;
    List<JobRevisionEntity> rows =
        getEntityManager()
            .createQuery(
                "from JobRevisionEntity where jobId = :job and revision < :before order by revision desc",
                JobRevisionEntity.class)
            .setParameter("job", jobId)
            .setParameter("before", (int) Math.min(before, Integer.MAX_VALUE))
            .setMaxResults(page.limit() + 1)
            .getResultList();
    return Page.of(
        new ArrayList<>(rows),
        page.limit(),
        last -> Cursor.encode(REVISION_CURSOR_KIND, Integer.toString(last.revision)));
  }

  public void persistRevision(JobRevisionEntity revision) {
    getEntityManager().persist(revision);
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
   * Inserts a new job and its first revision in the caller's transaction with plain JDBC: the
   * create path is the API's hottest write, and the ORM's persist and flush were a quarter of its
   * CPU. The objects are not managed afterwards. A taken live name fails with the unique violation
   * of {@code jobs_live_name}.
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
}
