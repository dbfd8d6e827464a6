package io.sluice.reconcile;

import io.sluice.audit.Actions;
import io.sluice.job.JobPhase;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.SpecCodec;
import io.sluice.job.Workload;
import io.sluice.run.CreateRunRequest;
import io.sluice.run.RunPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The reconciler's own SQL: claiming due jobs, reading snapshots, and recording outcomes. Every
 * write is fenced by the claim token, so a reconciler whose lease expired (and whose job another
 * replica now owns) changes nothing.
 */
public class ReconcileStore {
  private final DataSource db;

  public ReconcileStore(DataSource db) {
    this.db = db;
  }

  /**
   * A job claimed by this worker until its lease ends; {@code token} fences its writes. {@code
   * snapshot} is the job as it was read with the claim, at or after {@code readAt}
   * (System.nanoTime).
   */
  public record Claim(UUID jobId, long token, Snapshot snapshot, long readAt) {}

  /**
   * The job's columns a pass reads, then its open runs: one JSON array per job, each run an array
   * of number, revision, phase, Kubernetes name, whether it was submitted, its overrides (JSON
   * text), attempts, reason and message. Read with the job, in the same statement: no second round
   * trip, and one snapshot. Only batch workloads have runs: the others' jobs skip the runs' index.
   */
  private static final String SNAPSHOT_COLUMNS =
      "j.id, j.namespace, j.name, j.type, j.workload, j.current_revision, j.spec, j.generation,"
          + " j.deleted_at IS NOT NULL, j.purge_volumes, j.applied_revision, j.reconcile_failures,"
          + " j.phase, j.conditions, j.scale_replicas, j.suspended, j.last_stable_revision,"
          + " j.applied_at, r.automatic, j.pass_fingerprint,"
          + " CASE WHEN j.workload IN ("
          + java.util.Arrays.stream(Workload.values())
              .filter(Workload::isBatch)
              .map(w -> "'" + w.value() + "'")
              .collect(java.util.stream.Collectors.joining(", "))
          + ") THEN (SELECT json_agg(json_build_array(o.number, o.revision, o.phase, o.k8s_name,"
          + " o.submitted_at IS NOT NULL, o.overrides::text, o.attempts, o.reason, o.message)"
          + " ORDER BY o.number) FROM runs o"
          + " WHERE o.job_id = j.id AND (o.phase IN ('PENDING', 'RUNNING')"
          + " OR (o.phase = 'CANCELLED' AND NOT o.cleaned_up))) END";

  /** Claims up to {@code limit} due jobs and reads them, open runs too, in the same statement. */
  public List<Claim> claimDue(String worker, int limit, Duration lease) {
    String sql =
        "WITH claimed AS (UPDATE jobs SET claimed_by = ?, claimed_until = now() + make_interval(secs => ?),"
            + " claim_token = claim_token + 1"
            + " WHERE id IN (SELECT id FROM jobs WHERE purged_at IS NULL AND next_reconcile_at <= now()"
            + " AND (claimed_until IS NULL OR claimed_until < now())"
            + " ORDER BY next_reconcile_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING *)"
            + " SELECT j.claim_token, "
            + SNAPSHOT_COLUMNS
            + " FROM claimed j JOIN job_revisions r ON r.job_id = j.id AND r.revision = j.current_revision";
    return withConnection(
        c -> {
          List<Row> rows = new ArrayList<>();
          long readAt = System.nanoTime();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, worker);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.add(new Row(rs.getLong(1), columns(rs, 2)));
              }
            }
          }
          List<Claim> claims = new ArrayList<>();
          for (Row row : rows) {
            claims.add(
                new Claim(row.job().jobId(), row.token(), withRevisionSpecs(c, row.job()), readAt));
          }
          return claims;
        });
  }

  /**
   * The job as the next pass would read it, without claiming it: what {@code /manifests} renders,
   * so that it shows exactly what the reconciler would apply now. Empty for no live job.
   */
  public java.util.Optional<Snapshot> snapshot(UUID jobId) {
    String sql =
        "SELECT 0, "
            + SNAPSHOT_COLUMNS
            + " FROM jobs j JOIN job_revisions r ON r.job_id = j.id AND r.revision = j.current_revision"
            + " WHERE j.id = ? AND "
            + io.sluice.api.Sql.liveById("j.");
    return withConnection(
        c -> {
          Snapshot job;
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return java.util.Optional.<Snapshot>empty();
              }
              job = columns(rs, 2);
            }
          }
          return java.util.Optional.of(withRevisionSpecs(c, job));
        });
  }

  private record Row(long token, Snapshot job) {}

  /** A snapshot of the job's columns and its open runs (older revisions' specs not yet read). */
  private static Snapshot columns(ResultSet rs, int first) throws SQLException {
    int i = first;
    UUID id = rs.getObject(i++, UUID.class);
    String namespace = rs.getString(i++);
    String name = rs.getString(i++);
    JobType type = JobType.valueOf(rs.getString(i++).toUpperCase());
    Workload workload = Workload.valueOf(rs.getString(i++).toUpperCase());
    int revision = rs.getInt(i++);
    Snapshot.StoredSpec spec = new Snapshot.StoredSpec(rs.getString(i++));
    long generation = rs.getLong(i++);
    boolean deleted = rs.getBoolean(i++);
    boolean purgeVolumes = rs.getBoolean(i++);
    Integer appliedRevision = (Integer) rs.getObject(i++);
    int failures = rs.getInt(i++);
    JobPhase phase = JobPhase.valueOf(rs.getString(i++));
    String conditions = rs.getString(i++);
    Integer scaleReplicas = (Integer) rs.getObject(i++);
    boolean suspended = rs.getBoolean(i++);
    Integer lastStable = (Integer) rs.getObject(i++);
    Timestamp appliedAt = rs.getTimestamp(i++);
    boolean automatic = rs.getBoolean(i++);
    byte[] fingerprint = rs.getBytes(i++);
    List<Snapshot.OpenRun> open = openRuns(rs.getString(i));
    return new Snapshot(
        id,
        namespace,
        name,
        type,
        workload,
        revision,
        spec,
        generation,
        deleted,
        purgeVolumes,
        appliedRevision,
        failures,
        phase,
        conditions,
        open,
        Map.of(),
        scaleReplicas,
        suspended,
        lastStable,
        appliedAt == null ? null : appliedAt.toInstant(),
        automatic,
        fingerprint);
  }

  /** The snapshot with the specs of the older revisions its open runs use. */
  private static Snapshot withRevisionSpecs(Connection c, Snapshot job) throws SQLException {
    return job.withRevisionSpecs(revisionSpecs(c, job.jobId(), job.runs(), job.revision()));
  }

  /** The open runs {@link #SNAPSHOT_COLUMNS} reads as JSON, in run order; none for SQL NULL. */
  private static List<Snapshot.OpenRun> openRuns(String json) {
    if (json == null) {
      return List.of();
    }
    List<Snapshot.OpenRun> runs = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode run :
        SpecCodec.read(json, com.fasterxml.jackson.databind.JsonNode.class)) {
      String overrides = text(run.get(5));
      runs.add(
          new Snapshot.OpenRun(
              run.get(0).asInt(),
              run.get(1).asInt(),
              RunPhase.valueOf(run.get(2).asText()),
              run.get(3).asText(),
              run.get(4).asBoolean(),
              overrides == null ? null : SpecCodec.read(overrides, CreateRunRequest.class),
              run.get(6).asInt(),
              text(run.get(7)),
              text(run.get(8))));
    }
    return runs;
  }

  /** A JSON array element as text; null for JSON null. */
  private static String text(com.fasterxml.jackson.databind.JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Map<Integer, JobSpec> revisionSpecs(
      Connection c, UUID jobId, List<Snapshot.OpenRun> runs, int current) throws SQLException {
    Map<Integer, JobSpec> specs = new HashMap<>();
    for (Snapshot.OpenRun run : runs) {
      if (run.revision() == current || specs.containsKey(run.revision())) {
        continue;
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT spec FROM job_revisions WHERE job_id = ? AND revision = ?")) {
        ps.setObject(1, jobId);
        ps.setInt(2, run.revision());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            specs.put(run.revision(), SpecCodec.spec(rs.getString(1)));
          }
        }
      }
    }
    return specs;
  }

  /** What a successful pass learnt, to be written under the claim. */
  public record Applied(
      int revision,
      JobPhase phase,
      String message,
      Integer readyReplicas,
      Integer desiredReplicas,
      List<Integer> submittedRuns,
      List<Integer> cleanedRuns,
      List<Integer> lostRuns) {}

  /**
   * Records a successful pass with the fingerprint of what it left behind (null: unknown); false
   * when the claim was lost (nothing is written then).
   */
  public boolean recordApplied(
      Claim claim, Snapshot snapshot, Applied applied, Duration nextIn, byte[] fingerprint) {
    boolean sameRevision = Integer.valueOf(applied.revision()).equals(snapshot.appliedRevision());
    // Only passes write the Applied condition: after a success at the same revision it stands.
    String conditions =
        sameRevision && snapshot.failures() == 0
            ? null
            : Conditions.resolve(
                Conditions.applied(
                    snapshot.conditions(),
                    true,
                    "Applied",
                    "Revision " + applied.revision() + " is applied"),
                Conditions.OPERATOR_MISSING,
                "OperatorInstalled",
                "The operator's CustomResourceDefinition is served");
    JobRecord job = new JobRecord(claim, snapshot, applied, conditions, nextIn, fingerprint);
    boolean noEvents =
        applied.cleanedRuns().isEmpty() && applied.lostRuns().isEmpty() && sameRevision;
    // The common cases need no transaction: a resync that changed nothing is one UPDATE, a pass
    // that submitted runs one statement that also marks them.
    if (noEvents && applied.submittedRuns().isEmpty()) {
      return withConnection(c -> job.update(c) > 0);
    }
    if (noEvents) {
      return withConnection(c -> job.updateMarkingSubmitted(c, applied.submittedRuns()));
    }
    Work<Boolean> record =
        c -> {
          int rows = job.update(c);
          if (rows == 0) {
            return false;
          }
          markRuns(
              c,
              claim.jobId(),
              "UPDATE runs SET submitted_at = coalesce(submitted_at, now()) WHERE job_id = ? AND number = ?",
              applied.submittedRuns());
          markRuns(
              c,
              claim.jobId(),
              "UPDATE runs SET cleaned_up = true WHERE job_id = ? AND number = ?",
              applied.cleanedRuns());
          for (int lost : applied.lostRuns()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE runs SET phase = 'FAILED', reason = 'Lost', finished_at = now(),"
                        + " message = 'Its Kubernetes Job disappeared before the run finished'"
                        + " WHERE job_id = ? AND number = ? AND phase IN ('PENDING', 'RUNNING')")) {
              ps.setObject(1, claim.jobId());
              ps.setInt(2, lost);
              if (ps.executeUpdate() > 0) {
                event(
                    c,
                    snapshot,
                    Actions.RUN_FAILED,
                    "failure",
                    applied.revision(),
                    "run " + lost + " lost: its Kubernetes Job is gone");
              }
            }
          }
          if (!Integer.valueOf(applied.revision()).equals(snapshot.appliedRevision())) {
            event(
                c,
                snapshot,
                Actions.JOB_APPLIED,
                "success",
                applied.revision(),
                "revision " + applied.revision() + " applied");
          }
          return true;
        };
    return inTransaction(record);
  }

  /** A pass that changed nothing, to be recorded with others ({@link PendingRecords}). */
  public record Unchanged(
      Claim claim, Snapshot snapshot, Applied applied, Duration nextIn, byte[] fingerprint) {}

  /**
   * Whether a pass's record can wait for others': it recorded the revision already applied after a
   * success, and touches no run and no event — only the job's own row, as {@link #recordUnchanged}
   * writes it.
   */
  static boolean deferrable(Snapshot snapshot, Applied applied) {
    return Integer.valueOf(applied.revision()).equals(snapshot.appliedRevision())
        && snapshot.failures() == 0
        && applied.submittedRuns().isEmpty()
        && applied.cleanedRuns().isEmpty()
        && applied.lostRuns().isEmpty();
  }

  /**
   * Records passes that changed nothing in one statement, each row fenced by its own claim token
   * and written as {@link #recordApplied} would ({@code synchronous_commit} off too); returns the
   * rows written (fewer when claims were lost).
   */
  int recordUnchanged(List<Unchanged> passes) {
    String sql =
        """
        UPDATE jobs j SET reconciled_generation = u.generation, phase = u.phase, message = u.message,
               ready_replicas = u.ready, desired_replicas = u.desired, reconcile_failures = 0,
               last_seen = now(), claimed_until = NULL, claimed_by = NULL,
               next_reconcile_at = CASE WHEN j.generation > u.generation THEN now()
                                        ELSE now() + make_interval(secs => u.secs) END,
               pass_fingerprint = decode(u.fingerprint, 'hex')
        FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit,
             unnest(?::uuid[], ?::int8[], ?::int8[], ?::text[], ?::text[], ?::int4[], ?::int4[],
                    ?::float8[], ?::text[])
               AS u(id, token, generation, phase, message, ready, desired, secs, fingerprint)
        WHERE j.id = u.id AND j.claim_token = u.token""";
    int n = passes.size();
    Object[] ids = new Object[n];
    Long[] tokens = new Long[n];
    Long[] generations = new Long[n];
    String[] phases = new String[n];
    String[] messages = new String[n];
    Integer[] ready = new Integer[n];
    Integer[] desired = new Integer[n];
    Double[] secs = new Double[n];
    String[] fingerprints = new String[n];
    java.util.HexFormat hex = java.util.HexFormat.of();
    for (int i = 0; i < n; i++) {
      Unchanged p = passes.get(i);
      ids[i] = p.claim().jobId();
      tokens[i] = p.claim().token();
      generations[i] = p.snapshot().generation();
      phases[i] = p.applied().phase().name();
      messages[i] = p.applied().message();
      ready[i] = p.applied().readyReplicas();
      desired[i] = p.applied().desiredReplicas();
      secs[i] = p.nextIn().toMillis() / 1000.0;
      fingerprints[i] = p.fingerprint() == null ? null : hex.formatHex(p.fingerprint());
    }
    return withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            ps.setArray(2, c.createArrayOf("int8", tokens));
            ps.setArray(3, c.createArrayOf("int8", generations));
            ps.setArray(4, c.createArrayOf("text", phases));
            ps.setArray(5, c.createArrayOf("text", messages));
            ps.setArray(6, c.createArrayOf("int4", ready));
            ps.setArray(7, c.createArrayOf("int4", desired));
            ps.setArray(8, c.createArrayOf("float8", secs));
            ps.setArray(9, c.createArrayOf("text", fingerprints));
            return ps.executeUpdate();
          }
        });
  }

  /**
   * The job's row after a successful pass, written only while the claim holds. Committed without
   * waiting for the WAL flush ({@code synchronous_commit = off}, for this transaction only): what a
   * pass records can always be found again, so losing the last moment's records in a database crash
   * is the same as a reconciler crashing between applying and recording, which the next pass
   * converges from (the objects are there, the runs' Jobs exist by their names, a missing
   * fingerprint means a whole pass). Not waiting for the disk lets passes — every resync of every
   * job — go at the speed of the database rather than of its fsync.
   */
  private record JobRecord(
      Claim claim,
      Snapshot snapshot,
      Applied applied,
      String conditions,
      Duration nextIn,
      byte[] fingerprint) {
    private static final String UPDATE =
        """
        UPDATE jobs SET applied_at = CASE WHEN applied_revision IS DISTINCT FROM ? THEN now() ELSE applied_at END,
               applied_revision = ?, reconciled_generation = ?, phase = ?, message = ?,
               ready_replicas = ?, desired_replicas = ?, conditions = coalesce(?::jsonb, conditions), reconcile_failures = 0,
               last_seen = now(), claimed_until = NULL, claimed_by = NULL,
               next_reconcile_at = CASE WHEN generation > ? THEN now() ELSE now() + make_interval(secs => ?) END,
               pass_fingerprint = ?
        FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
        WHERE id = ? AND claim_token = ?""";

    /** Rows written: 0 when the claim was lost. */
    int update(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
        bind(ps);
        return ps.executeUpdate();
      }
    }

    /** The update, and the runs whose Jobs the pass created marked submitted, in one statement. */
    boolean updateMarkingSubmitted(Connection c, List<Integer> runs) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "WITH job AS ("
                  + UPDATE
                  + " RETURNING id), submitted AS (UPDATE runs SET submitted_at = coalesce(submitted_at, now())"
                  + " WHERE job_id IN (SELECT id FROM job) AND number = ANY(?) RETURNING 1)"
                  + " SELECT count(*) FROM job")) {
        bind(ps);
        ps.setArray(14, c.createArrayOf("integer", runs.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getLong(1) > 0;
        }
      }
    }

    private void bind(PreparedStatement ps) throws SQLException {
      ps.setInt(1, applied.revision());
      ps.setInt(2, applied.revision());
      ps.setLong(3, snapshot.generation());
      ps.setString(4, applied.phase().name());
      ps.setString(5, applied.message());
      ps.setObject(6, applied.readyReplicas());
      ps.setObject(7, applied.desiredReplicas());
      ps.setString(8, conditions);
      ps.setLong(9, snapshot.generation());
      ps.setDouble(10, nextIn.toMillis() / 1000.0);
      ps.setBytes(11, fingerprint);
      ps.setObject(12, claim.jobId());
      ps.setLong(13, claim.token());
    }
  }

  /**
   * Writes an automatic rollback: a new revision copying {@code toRevision}'s spec, marked
   * automatic so it is never rolled back itself, and the job pointed at it. Fenced like every other
   * write of a pass.
   */
  public boolean autoRollback(Claim claim, Snapshot job, int toRevision, String why) {
    return inTransaction(
        c -> {
          int rows;
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          WITH target AS (SELECT spec, spec_hash FROM job_revisions WHERE job_id = ? AND revision = ?),
               rev AS (INSERT INTO job_revisions (job_id, revision, spec, spec_hash, created_at, created_by,
                                                  change_cause, rollback_of, automatic)
                       SELECT ?, ?, spec, spec_hash, now(), ?, ?, ?, true FROM target
                       RETURNING spec, spec_hash)
          UPDATE jobs SET current_revision = ?, spec = rev.spec, spec_hash = rev.spec_hash,
                 labels = coalesce(rev.spec -> 'labels', '{}'::jsonb), version = version + 1,
                 generation = generation + 1, updated_at = now(), phase = 'PENDING', message = ?,
                 claimed_until = NULL, claimed_by = NULL, next_reconcile_at = now()
          FROM rev WHERE jobs.id = ? AND jobs.claim_token = ? AND jobs.current_revision = ?
          """)) {
            int next = job.revision() + 1;
            ps.setObject(1, job.jobId());
            ps.setInt(2, toRevision);
            ps.setObject(3, job.jobId());
            ps.setInt(4, next);
            ps.setString(5, Actions.SYSTEM_ACTOR);
            ps.setString(6, "automatic rollback: " + why);
            ps.setInt(7, toRevision);
            ps.setInt(8, next);
            ps.setString(9, "Automatic rollback: " + why);
            ps.setObject(10, job.jobId());
            ps.setLong(11, claim.token());
            ps.setInt(12, job.revision());
            rows = ps.executeUpdate();
          }
          if (rows == 0) {
            c.rollback();
            return false;
          }
          event(c, job, Actions.JOB_AUTO_ROLLED_BACK, "success", job.revision() + 1, why);
          return true;
        });
  }

  /** Records a failed pass and when to try again; the first failure of a streak is an event. */
  public boolean recordFailure(
      Claim claim, Snapshot snapshot, ApplyException failure, Duration retryIn) {
    JobPhase phase =
        failure.reason() == ApplyException.Reason.ForeignObject
            ? JobPhase.DEGRADED
            : snapshot.appliedRevision() == null ? JobPhase.PENDING : JobPhase.DEGRADED;
    if (snapshot.deleted()) {
      phase = JobPhase.DELETING;
    }
    String message = failure.getMessage() + "; retrying in " + retryIn.toSeconds() + "s";
    String applied =
        Conditions.applied(
            snapshot.conditions(), false, failure.reason().name(), failure.getMessage());
    String conditions =
        failure.reason() == ApplyException.Reason.OperatorMissing
            ? Conditions.set(
                applied,
                Conditions.OPERATOR_MISSING,
                "True",
                "CustomResourceDefinitionMissing",
                failure.getMessage())
            : applied;
    JobPhase finalPhase = phase;
    return inTransaction(
        c -> {
          int rows;
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          UPDATE jobs SET phase = ?, message = ?, conditions = ?::jsonb, reconcile_failures = reconcile_failures + 1,
                 claimed_until = NULL, claimed_by = NULL, next_reconcile_at = now() + make_interval(secs => ?),
                 pass_fingerprint = NULL
          WHERE id = ? AND claim_token = ?
          """)) {
            ps.setString(1, finalPhase.name());
            ps.setString(2, message);
            ps.setString(3, conditions);
            ps.setDouble(4, retryIn.toMillis() / 1000.0);
            ps.setObject(5, claim.jobId());
            ps.setLong(6, claim.token());
            rows = ps.executeUpdate();
          }
          if (rows > 0 && snapshot.failures() == 0) {
            event(
                c,
                snapshot,
                Actions.JOB_APPLY_FAILED,
                "failure",
                snapshot.revision(),
                failure.reason() + ": " + failure.getMessage());
          }
          return rows > 0;
        });
  }

  /** A deleted job whose objects are gone: nothing is left to reconcile. */
  public boolean recordPurged(Claim claim, Snapshot snapshot) {
    return inTransaction(
        c -> {
          int rows;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE jobs SET purged_at = now(), claimed_until = NULL, claimed_by = NULL, message = ?"
                      + " WHERE id = ? AND claim_token = ?")) {
            ps.setString(
                1, snapshot.purgeVolumes() ? "Deleted, volumes included" : "Deleted; volumes kept");
            ps.setObject(2, claim.jobId());
            ps.setLong(3, claim.token());
            rows = ps.executeUpdate();
          }
          if (rows > 0) {
            event(
                c,
                snapshot,
                Actions.JOB_PURGED,
                "success",
                snapshot.revision(),
                snapshot.purgeVolumes()
                    ? "cluster objects and volumes removed"
                    : "cluster objects removed; volumes kept");
          }
          return rows > 0;
        });
  }

  /** Gives a claim back untouched, e.g. at shutdown or when the cache is not ready yet. */
  public void release(Claim claim, Duration retryIn) {
    inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE jobs SET claimed_until = NULL, claimed_by = NULL, next_reconcile_at = now() + make_interval(secs => ?)"
                      + " WHERE id = ? AND claim_token = ?")) {
            ps.setDouble(1, retryIn.toMillis() / 1000.0);
            ps.setObject(2, claim.jobId());
            ps.setLong(3, claim.token());
            return ps.executeUpdate();
          }
        });
  }

  /** Jobs due for a pass now (queue depth); counted through the due-jobs index. */
  public double dueCount() {
    try {
      return inTransaction(
          c -> {
            try (PreparedStatement ps =
                    c.prepareStatement(
                        "SELECT count(*) FROM jobs WHERE purged_at IS NULL AND next_reconcile_at <= now()");
                ResultSet rs = ps.executeQuery()) {
              rs.next();
              return (double) rs.getLong(1);
            }
          });
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Makes a job due now, e.g. when one of its objects was deleted or edited by hand. */
  public void markDue(UUID jobId) {
    inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE jobs SET next_reconcile_at = now() WHERE id = ? AND purged_at IS NULL AND next_reconcile_at > now()")) {
            ps.setObject(1, jobId);
            return ps.executeUpdate();
          }
        });
  }

  /** Makes every job of a workload due now: its engine's operator appeared or went away. */
  public int markDue(io.sluice.job.Workload workload) {
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE jobs SET next_reconcile_at = now() WHERE workload = ? AND purged_at IS NULL AND next_reconcile_at > now()")) {
            ps.setString(1, workload.value());
            return ps.executeUpdate();
          }
        });
  }

  private static void markRuns(Connection c, UUID jobId, String sql, List<Integer> numbers)
      throws SQLException {
    if (numbers.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int number : numbers) {
        ps.setObject(1, jobId);
        ps.setInt(2, number);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static void event(
      Connection c, Snapshot job, String action, String outcome, Integer revision, String message)
      throws SQLException {
    event(c, job.jobId(), job.namespace(), job.name(), action, outcome, revision, message);
  }

  /** Appends an audit event for an action Sluice took by itself. */
  static void event(
      Connection c,
      UUID jobId,
      String namespace,
      String name,
      String action,
      String outcome,
      Integer revision,
      String message)
      throws SQLException {
    io.sluice.audit.AuditLog.insert(
        c,
        new io.sluice.audit.AuditLog.Subject(jobId, namespace, name),
        io.sluice.audit.AuditLog.Actor.SLUICE,
        action,
        outcome,
        revision,
        message);
  }

  /** A unit of work on one connection, committed at the end or rolled back on failure. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** A unit of work in autocommit: for single statements, one round trip each. */
  <T> T withConnection(Work<T> work) {
    try (Connection c = db.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new IllegalStateException("Reconciler database access failed: " + e.getMessage(), e);
    }
  }

  <T> T inTransaction(Work<T> work) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reconciler database access failed: " + e.getMessage(), e);
    }
  }
}
