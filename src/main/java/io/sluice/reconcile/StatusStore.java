package io.sluice.reconcile;

import io.sluice.audit.Actions;
import io.sluice.job.Timestamps;
import io.sluice.run.RunPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Writes what the cluster reports back into PostgreSQL: replica readiness of jobs and the phases of
 * runs. Writes are guarded so a terminal run never changes and a job whose spec changed since it
 * was applied keeps its PENDING phase until the reconciler applies it.
 */
public class StatusStore {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(StatusStore.class);
  private final ReconcileStore tx;
  private volatile java.util.function.Consumer<io.sluice.run.RunPhase> onRunTransition =
      phase -> {};

  public StatusStore(ReconcileStore tx) {
    this.tx = tx;
  }

  private final java.util.List<java.util.function.BiConsumer<UUID, Integer>> onRunEnded =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Told each time a run ends, once that is committed (to keep its logs, to advance its pipeline
   * run): the job's id and the run's number.
   */
  public void onRunEnded(java.util.function.BiConsumer<UUID, Integer> listener) {
    onRunEnded.add(listener);
  }

  /** Told each time a run moves to a new phase (for metrics). */
  public void onRunTransition(java.util.function.Consumer<io.sluice.run.RunPhase> listener) {
    this.onRunTransition = listener;
  }

  /**
   * Writes a workload's readiness. It moves the last stable revision only when the workload shows
   * the applied revision ({@code observedRevision}, null when the object does not say): what the
   * cache showed may predate a pass that applied a newer revision meanwhile, and a ready old
   * revision must not make the new one stable.
   *
   * <p>An observation that changes nothing writes nothing: a restarted Sluice sees every workload
   * once as its watches list them, and each used to cost a committed write (flushed to disk) of the
   * same values — 4,000 in a row for 4,000 service jobs. {@code last_seen} then moves with the
   * passes that resync the job ({@code sluice.reconcile.resync}) and with each change.
   */
  public void recordReplicas(UUID jobId, Observed.Readiness replicas, Integer observedRevision) {
    recordReplicas(List.of(new Readiness(jobId, replicas, observedRevision)));
  }

  /** A job's workload as observed, and the revision its pod template renders (null: not said). */
  public record Readiness(UUID jobId, Observed.Readiness workload, Integer revision) {}

  /** Jobs a readiness statement writes at most: its arrays stay a few hundred KB. */
  static final int READINESS_BATCH = 500;

  /**
   * Writes many jobs' readiness as {@link #recordReplicas(UUID, Observed.Readiness, Integer)}
   * writes one, {@value #READINESS_BATCH} jobs a statement. A job observed more than once (two
   * workloads, while it changes kind) is written as its last, as writing each in turn would.
   */
  public void recordReplicas(List<Readiness> observed) {
    java.util.Map<UUID, Readiness> last = new java.util.HashMap<>();
    observed.forEach(r -> last.put(r.jobId(), r));
    List<Readiness> byId =
        last.values().stream().sorted(java.util.Comparator.comparing(Readiness::jobId)).toList();
    for (int from = 0; from < byId.size(); from += READINESS_BATCH) {
      List<Readiness> batch = byId.subList(from, Math.min(byId.size(), from + READINESS_BATCH));
      tx.withConnection(c -> writeReadinessOrEach(c, batch));
    }
  }

  /**
   * One statement locks its jobs' rows one after another, so it can deadlock with another that
   * locks several (a record of unchanged passes, say): PostgreSQL then aborts one of the two. This
   * one is then written a job at a time, which cannot deadlock.
   */
  private static int writeReadinessOrEach(Connection c, List<Readiness> batch) throws SQLException {
    try {
      return writeReadiness(c, batch);
    } catch (SQLException e) {
      if (!io.sluice.api.SqlStates.DEADLOCK_DETECTED.equals(e.getSQLState()) || batch.size() == 1) {
        throw e;
      }
      LOG.debugf("Readiness of %d jobs deadlocked; writing each alone", batch.size());
      int written = 0;
      for (Readiness one : batch) {
        written += writeReadiness(c, List.of(one));
      }
      return written;
    }
  }

  /** Many jobs' readiness, written where it changes something (see {@link #recordReplicas}). */
  private static final String READINESS =
      """
        UPDATE jobs j SET ready_replicas = v.ready, desired_replicas = v.desired, phase = v.phase,
               message = v.message, last_seen = now(), pod_issues = v.issues::jsonb,
               last_stable_revision = CASE WHEN v.phase = 'READY' AND j.applied_revision = coalesce(v.revision, j.applied_revision)
                                           THEN j.applied_revision ELSE j.last_stable_revision END
        FROM unnest(?::uuid[], ?::int4[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::int4[])
               AS v(id, ready, desired, phase, message, issues, revision)
        WHERE j.id = v.id AND %s AND j.applied_revision IS NOT NULL
          AND j.reconcile_failures = 0 AND j.reconciled_generation = j.generation
          AND (j.ready_replicas IS DISTINCT FROM v.ready OR j.desired_replicas IS DISTINCT FROM v.desired
               OR j.phase IS DISTINCT FROM v.phase OR j.message IS DISTINCT FROM v.message
               OR j.pod_issues IS DISTINCT FROM v.issues::jsonb
               OR (v.phase = 'READY' AND j.applied_revision = coalesce(v.revision, j.applied_revision)
                   AND j.last_stable_revision IS DISTINCT FROM j.applied_revision))
        """
          .formatted(io.sluice.api.Sql.liveById("j."));

  private static int writeReadiness(Connection c, List<Readiness> batch) throws SQLException {
    int n = batch.size();
    Object[] ids = new Object[n];
    Integer[] ready = new Integer[n];
    Integer[] desired = new Integer[n];
    String[] phases = new String[n];
    String[] messages = new String[n];
    String[] issues = new String[n];
    Integer[] revisions = new Integer[n];
    for (int i = 0; i < n; i++) {
      Readiness r = batch.get(i);
      ids[i] = r.jobId();
      ready[i] = r.workload().ready();
      desired[i] = r.workload().desired();
      phases[i] = r.workload().phase().name();
      messages[i] = r.workload().message();
      issues[i] = issuesJson(r.workload().issues());
      revisions[i] = r.revision();
    }
    try (PreparedStatement ps = c.prepareStatement(READINESS)) {
      ps.setArray(1, c.createArrayOf("uuid", ids));
      ps.setArray(2, c.createArrayOf("int4", ready));
      ps.setArray(3, c.createArrayOf("int4", desired));
      ps.setArray(4, c.createArrayOf("text", phases));
      ps.setArray(5, c.createArrayOf("text", messages));
      ps.setArray(6, c.createArrayOf("text", issues));
      ps.setArray(7, c.createArrayOf("int4", revisions));
      return ps.executeUpdate();
    }
  }

  /** What this replica last knew of open runs' rows (see {@link KnownRuns}). */
  private final KnownRuns known = new KnownRuns();

  /**
   * A claim read this row of a run at {@code readAt} (System.nanoTime, taken before the claim's
   * statement), and its pass is about to create the run's Job: the Job's first event, which says
   * what a new Job says, is then decided without reading the row again.
   */
  public void expectNewJob(UUID jobId, Snapshot.OpenRun run, long readAt) {
    known.seed(jobId, run.number(), run.row(), readAt);
  }

  /** Moves a run to what its Kubernetes Job reports; terminal runs are left alone. */
  public void recordRun(UUID jobId, int number, Observed.RunStatus status) {
    // Most observations repeat what the row says (the event of a Job just created, of a pod that
    // did not change the run): what this replica last knew of the row settles those with no read
    // at all, else one unlocked read does, with no row lock and no commit to flush. Deciding on
    // either is deciding at the moment of that knowledge; a write re-reads locked.
    if (settled(jobId, number, status)) {
      return;
    }
    int written = recordRunInTransaction(jobId, number, status);
    if (written > 0) {
      known.wrote(
          jobId,
          number,
          new KnownRuns.Row(status.phase(), status.attempts(), status.reason(), status.message()));
    }
    if (written == ENDED) {
      for (var listener : onRunEnded) {
        listener.accept(jobId, number);
      }
    }
  }

  private static final int ENDED = 2;

  /**
   * Whether the run's row takes nothing from this status (or is gone), as known or else as read. A
   * row known to differ is not read first: the write reads it again, locked, anyway.
   */
  private boolean settled(UUID jobId, int number, Observed.RunStatus status) {
    KnownRuns.Row row = known.get(jobId, number);
    if (row != null) {
      return row.takesNothingFrom(status);
    }
    RunRow read = tx.withConnection(c -> readRun(c, jobId, number, false));
    KnownRuns.Row readRow = read == null ? null : read.known();
    known.read(jobId, number, readRow);
    return readRow == null || readRow.takesNothingFrom(status);
  }

  /** What recording a run's status reads of its row. */
  private record RunRow(
      RunPhase phase,
      int revision,
      String namespace,
      String jobName,
      int attempts,
      String reason,
      String message) {

    /** The part of the row an observation can change. */
    KnownRuns.Row known() {
      return new KnownRuns.Row(phase, attempts, reason, message);
    }
  }

  /** The run's row, locked for update when {@code lock}; null when there is none. */
  private static RunRow readRun(Connection c, UUID jobId, int number, boolean lock)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT phase, revision, namespace, job_name, attempts, reason, message FROM runs"
                + " WHERE job_id = ? AND number = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      ps.setObject(1, jobId);
      ps.setInt(2, number);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new RunRow(
            RunPhase.valueOf(rs.getString(1)),
            rs.getInt(2),
            rs.getString(3),
            rs.getString(4),
            rs.getInt(5),
            rs.getString(6),
            rs.getString(7));
      }
    }
  }

  private int recordRunInTransaction(UUID jobId, int number, Observed.RunStatus status) {
    return tx.inTransaction(
        c -> {
          if (status.phase().isTerminal()) {
            // An ending also updates the job row (last stable revision): lock it before the run,
            // the order the reconciler and the pipeline engine lock in, or the two deadlock.
            try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR NO KEY UPDATE")) {
              ps.setObject(1, jobId);
              ps.executeQuery().close();
            }
          }
          RunRow row = readRun(c, jobId, number, true);
          KnownRuns.Row locked = row == null ? null : row.known();
          if (locked == null || locked.takesNothingFrom(status)) {
            known.read(jobId, number, locked);
            return 0;
          }
          RunPhase before = row.phase();
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          UPDATE runs SET phase = ?, started_at = coalesce(started_at, ?), finished_at = ?, attempts = ?,
                 reason = ?, message = ?, exit_code = ?, submitted_at = coalesce(submitted_at, now()),
                 pod_issues = ?::jsonb
          WHERE job_id = ? AND number = ?
          """)) {
            ps.setString(1, status.phase().name());
            ps.setObject(
                2, Timestamps.column(status.startedAt()), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(
                3,
                status.phase().isTerminal()
                    ? Timestamps.column(
                        status.finishedAt() != null ? status.finishedAt() : java.time.Instant.now())
                    : null,
                java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setInt(4, status.attempts());
            ps.setString(5, status.reason());
            ps.setString(6, status.message());
            ps.setObject(7, status.exitCode());
            ps.setString(8, issuesJson(status.issues()));
            ps.setObject(9, jobId);
            ps.setInt(10, number);
            ps.executeUpdate();
          }
          if (before != status.phase()) {
            event(c, jobId, row.namespace(), row.jobName(), row.revision(), number, status);
            onRunTransition.accept(status.phase());
            LOG.infof(
                "job=%s/%s run=%d %s -> %s%s",
                row.namespace(),
                row.jobName(),
                number,
                before,
                status.phase(),
                status.reason() == null ? "" : " (" + status.reason() + ")");
          }
          if (status.phase().isTerminal()) {
            recomputeLastStable(c, jobId);
            return ENDED;
          }
          return 1;
        });
  }

  private static String issuesJson(java.util.List<io.sluice.job.PodIssue> issues) {
    return issues == null || issues.isEmpty() ? null : io.sluice.job.SpecCodec.toJson(issues);
  }

  /** A run a CronJob started: the job's next number, and the run's row unless it is there. */
  private static final String SCHEDULED_RUN =
      """
          WITH n AS (UPDATE jobs SET next_run_number = next_run_number + 1 WHERE id = ? AND %s
                     RETURNING next_run_number - 1 AS number, namespace, name)
          INSERT INTO runs (id, job_id, number, namespace, job_name, revision, k8s_name, trigger, phase,
                            created_at, created_by, submitted_at)
          SELECT ?, ?, n.number, n.namespace, n.name, ?, ?, 'schedule', 'PENDING', now(), ?, now() FROM n
          ON CONFLICT (job_id, k8s_name) DO NOTHING
          RETURNING number
          """
          .formatted(io.sluice.api.Sql.liveById(""));

  /** Records a run a CronJob started, the first time its Kubernetes Job is seen; its number. */
  public Integer recordScheduledRun(UUID jobId, String k8sName, int revision) {
    return tx.inTransaction(
        c -> {
          try (PreparedStatement find =
              c.prepareStatement("SELECT number FROM runs WHERE job_id = ? AND k8s_name = ?")) {
            find.setObject(1, jobId);
            find.setString(2, k8sName);
            try (ResultSet rs = find.executeQuery()) {
              if (rs.next()) {
                return rs.getInt(1);
              }
            }
          }
          try (PreparedStatement ps = c.prepareStatement(SCHEDULED_RUN)) {
            ps.setObject(1, jobId);
            ps.setObject(2, io.sluice.job.Ids.next());
            ps.setObject(3, jobId);
            ps.setInt(4, revision);
            ps.setString(5, k8sName);
            ps.setString(6, Actions.SYSTEM_ACTOR);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getInt(1) : null;
            }
          }
        });
  }

  private static void event(
      Connection c,
      UUID jobId,
      String namespace,
      String jobName,
      int revision,
      int number,
      Observed.RunStatus status)
      throws SQLException {
    String action =
        switch (status.phase()) {
          case RUNNING -> Actions.RUN_STARTED;
          case SUCCEEDED -> Actions.RUN_SUCCEEDED;
          case FAILED -> Actions.RUN_FAILED;
          default -> null;
        };
    if (action == null) {
      return;
    }
    String message =
        "run "
            + number
            + (status.reason() == null ? "" : ": " + status.reason())
            + (status.exitCode() == null || status.phase() == RunPhase.SUCCEEDED
                ? ""
                : " (exit code " + status.exitCode() + ")");
    ReconcileStore.event(
        c,
        jobId,
        namespace,
        jobName,
        action,
        status.phase() == RunPhase.FAILED ? "failure" : "success",
        revision,
        message);
  }

  /**
   * For batch and scheduled jobs: the newest revision whose last finished run succeeded. A revision
   * whose latest run failed is not stable, even if an earlier run of it succeeded.
   */
  private static void recomputeLastStable(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        UPDATE jobs SET last_stable_revision = (
          SELECT max(revision) FROM (
            SELECT DISTINCT ON (revision) revision, phase FROM runs
            WHERE job_id = ? AND phase IN ('SUCCEEDED', 'FAILED')
            ORDER BY revision, number DESC) latest
          WHERE phase = 'SUCCEEDED')
        WHERE id = ? AND workload IN ('batch', 'scheduled')
        """)) {
      ps.setObject(1, jobId);
      ps.setObject(2, jobId);
      ps.executeUpdate();
    }
  }
}
