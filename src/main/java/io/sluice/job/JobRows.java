package io.sluice.job;

import io.sluice.api.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Maps the {@code jobs} table to {@link JobEntity} with plain JDBC, and writes back only what the
 * service layer changed in a row it read: the API and the reconciler own different columns, and a
 * scale must not rewrite a megabyte of spec.
 */
final class JobRows {
  private JobRows() {}

  static final String SELECT =
      "SELECT id, namespace, name, type, workload, current_revision, spec, spec_hash, labels,"
          + " version, phase, message, applied_revision, last_seen, created_at, created_by,"
          + " updated_at, deleted_at, deleted_by, purge_volumes, generation, next_reconcile_at,"
          + " next_run_number, conditions, ready_replicas, desired_replicas, scale_replicas,"
          + " suspended, last_stable_revision, pod_issues FROM jobs";

  static JobEntity read(ResultSet rs) throws SQLException {
    JobEntity j = new JobEntity();
    int i = 1;
    j.id = rs.getObject(i++, UUID.class);
    j.namespace = rs.getString(i++);
    j.name = rs.getString(i++);
    j.type = JobType.valueOf(rs.getString(i++).toUpperCase());
    j.workload = Workload.valueOf(rs.getString(i++).toUpperCase());
    j.currentRevision = rs.getInt(i++);
    j.spec = rs.getString(i++);
    j.specHash = rs.getString(i++);
    j.labels = rs.getString(i++);
    j.version = rs.getLong(i++);
    j.phase = JobPhase.valueOf(rs.getString(i++));
    j.message = rs.getString(i++);
    j.appliedRevision = rs.getObject(i++, Integer.class);
    j.lastSeen = Timestamps.read(rs, i++);
    j.createdAt = Timestamps.read(rs, i++);
    j.createdBy = rs.getString(i++);
    j.updatedAt = Timestamps.read(rs, i++);
    j.deletedAt = Timestamps.read(rs, i++);
    j.deletedBy = rs.getString(i++);
    j.purgeVolumes = rs.getBoolean(i++);
    j.generation = rs.getLong(i++);
    j.nextReconcileAt = Timestamps.read(rs, i++);
    j.nextRunNumber = rs.getInt(i++);
    j.conditions = rs.getString(i++);
    j.readyReplicas = rs.getObject(i++, Integer.class);
    j.desiredReplicas = rs.getObject(i++, Integer.class);
    j.scaleReplicas = rs.getObject(i++, Integer.class);
    j.suspended = rs.getBoolean(i++);
    j.lastStableRevision = rs.getObject(i++, Integer.class);
    j.podIssues = rs.getString(i);
    return j;
  }

  /**
   * Marks a job read under its row lock as one the service may change and {@link #update}: keeps
   * the values of the columns it may write, to tell later which changed. Only rows read for update
   * pay for the copy; a list or a GET does not.
   */
  static JobEntity forUpdate(JobEntity job) {
    job.loaded = values(job);
    return job;
  }

  /** A column the API writes, and its value as bound. */
  private record Column(String name, Function<JobEntity, Object> value, boolean jsonb) {}

  /**
   * The columns the API changes in a job it read. The status columns (applied revision, replicas,
   * conditions, pod issues, last seen) belong to the reconciler and are never written from here;
   * the run counter is taken by one {@code UPDATE … RETURNING} of its own.
   */
  private static final List<Column> UPDATABLE =
      List.of(
          new Column("current_revision", j -> j.currentRevision, false),
          new Column("spec", j -> j.spec, true),
          new Column("spec_hash", j -> j.specHash, false),
          new Column("labels", j -> j.labels, true),
          new Column("phase", j -> j.phase.name(), false),
          new Column("message", j -> j.message, false),
          new Column("updated_at", j -> Timestamps.column(j.updatedAt), false),
          new Column("deleted_at", j -> Timestamps.column(j.deletedAt), false),
          new Column("deleted_by", j -> j.deletedBy, false),
          new Column("purge_volumes", j -> j.purgeVolumes, false),
          new Column("generation", j -> j.generation, false),
          new Column("next_reconcile_at", j -> Timestamps.column(j.nextReconcileAt), false),
          new Column("scale_replicas", j -> j.scaleReplicas, false),
          new Column("suspended", j -> j.suspended, false));

  private static Object[] values(JobEntity job) {
    Object[] values = new Object[UPDATABLE.size()];
    for (int k = 0; k < values.length; k++) {
      values[k] = UPDATABLE.get(k).value().apply(job);
    }
    return values;
  }

  /**
   * Writes the columns changed since {@code job} was read and bumps its version (the ETag), in the
   * caller's transaction. Callers hold the row lock, so the version still matches; a row changed
   * behind that lock is a bug and fails the transaction rather than overwrite the change.
   */
  static void update(Connection c, JobEntity job) throws SQLException {
    if (job.loaded == null) {
      throw new IllegalStateException("job " + job.name + " was not read for update");
    }
    Object[] now = values(job);
    StringBuilder sql = new StringBuilder("UPDATE jobs SET ");
    List<Object> binds = new ArrayList<>();
    for (int k = 0; k < now.length; k++) {
      if (!Objects.equals(now[k], job.loaded[k])) {
        Column column = UPDATABLE.get(k);
        sql.append(column.name()).append(column.jsonb() ? " = ?::jsonb, " : " = ?, ");
        binds.add(now[k]);
      }
    }
    if (binds.isEmpty()) {
      return;
    }
    sql.append("version = version + 1 WHERE id = ? AND version = ?");
    binds.add(job.id);
    binds.add(job.version);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int k = 0; k < binds.size(); k++) {
        ps.setObject(k + 1, binds.get(k));
      }
      if (ps.executeUpdate() != 1) {
        throw new StoreException(
            "Job " + job.namespace + "/" + job.name + " changed behind its row lock", null);
      }
    }
    job.version++;
    job.loaded = now;
  }
}
