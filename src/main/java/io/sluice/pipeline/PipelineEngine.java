package io.sluice.pipeline;

import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.config.SluiceConfig;
import io.sluice.job.SpecCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Advances pipeline runs and fires scheduled pipelines. No thread per pipeline: a few workers each
 * claim one due run at a time ({@code FOR UPDATE SKIP LOCKED}), run a pass ({@link Advance}) and
 * commit it with what it started, so any number of replicas share the work and a restart resumes
 * every run where its rows say it is. A run is due when one of its steps' runs ended (the status
 * observer says so), when a retry's backoff or a timeout is up, or at the resync interval.
 */
public class PipelineEngine {
  private static final Logger LOG = Logger.getLogger(PipelineEngine.class);
  private static final java.time.Duration FAILURE_BACKOFF = java.time.Duration.ofSeconds(5);

  private final DataSource db;
  private final SluiceConfig.Pipelines config;
  private final Consumer<Collection<UUID>> jobsChanged;
  private volatile Metrics metrics = Metrics.NONE;
  private final Map<String, PipelineSpec> specs;
  private final Object wake = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private boolean woken;
  private volatile boolean running;

  public PipelineEngine(
      DataSource db, SluiceConfig.Pipelines config, Consumer<Collection<UUID>> jobsChanged) {
    this.db = db;
    this.config = config;
    this.jobsChanged = jobsChanged;
    int max = config.specCache();
    this.specs =
        java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, PipelineSpec> eldest) {
                return size() > max;
              }
            });
  }

  /** What the engine reports: passes, attempts started, runs ended. */
  public interface Metrics {
    Metrics NONE = new Metrics() {};

    default void pass(long nanos) {}

    default void attemptsStarted(int n) {}

    default void runEnded(io.sluice.run.RunPhase phase) {}

    default void scheduledRun(boolean started) {}
  }

  public void reportTo(Metrics metrics) {
    this.metrics = metrics;
  }

  public void start() {
    running = true;
    for (int i = 0; i < config.workers(); i++) {
      boolean scheduler = i == 0;
      Thread t = new Thread(() -> loop(scheduler), "sluice-pipelines-" + (i + 1));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  public void stop() {
    running = false;
    wake();
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public void wake() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  /** Runs that ended, by job id and number, waiting to mark their pipeline runs due. */
  private final java.util.concurrent.BlockingQueue<Ended> ended =
      new java.util.concurrent.ArrayBlockingQueue<>(10_000);

  private record Ended(UUID job, int number) {}

  /**
   * A job's run ended: if a pipeline run started it, that run is due now. Called by the status
   * observer after the run's phase is committed; queued so the observer never waits on this (a full
   * queue drops the wake-up, and the run's resync catches up).
   */
  public void runEnded(UUID jobId, int number) {
    if (ended.offer(new Ended(jobId, number))) {
      wake();
    }
  }

  /** Marks the pipeline runs of the queued ended runs due, in one statement per batch. */
  private boolean markEnded() {
    List<Ended> batch = new ArrayList<>();
    ended.drainTo(batch, 1000);
    if (batch.isEmpty()) {
      return false;
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE pipeline_runs SET next_advance_at = now() WHERE phase IN ('PENDING', 'RUNNING')"
                    + " AND id IN (SELECT r.pipeline_run_id FROM runs r"
                    + " JOIN unnest(?::uuid[], ?::int[]) AS e(job_id, number)"
                    + " ON r.job_id = e.job_id AND r.number = e.number"
                    + " WHERE r.pipeline_run_id IS NOT NULL)")) {
      ps.setArray(1, c.createArrayOf("uuid", batch.stream().map(Ended::job).toArray()));
      ps.setArray(2, c.createArrayOf("integer", batch.stream().map(Ended::number).toArray()));
      ps.executeUpdate();
    } catch (SQLException e) {
      LOG.warnf(
          "Could not mark pipeline runs due after %d run endings: %s",
          batch.size(), e.getMessage());
    }
    return true;
  }

  /** Every pipeline run with an open run of {@code jobId} is due now (its runs were cancelled). */
  public void jobRunsEnded(UUID jobId) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE pipeline_runs SET next_advance_at = now() WHERE phase IN ('PENDING', 'RUNNING')"
                    + " AND id IN (SELECT r.pipeline_run_id FROM runs r JOIN pipeline_steps s"
                    + " ON s.run_id = r.pipeline_run_id AND s.name = r.pipeline_step"
                    + " WHERE r.job_id = ? AND s.phase = 'RUNNING' AND r.step_attempt = s.attempts)")) {
      ps.setObject(1, jobId);
      if (ps.executeUpdate() > 0) {
        wake();
      }
    } catch (SQLException e) {
      LOG.warnf("Could not mark pipeline runs of job %s due: %s", jobId, e.getMessage());
    }
  }

  private void loop(boolean scheduler) {
    while (running) {
      boolean busy = false;
      try {
        busy = markEnded();
        if (scheduler) {
          while (running && fireOne()) {
            busy = true;
          }
        }
        while (running && advanceOne()) {
          busy = true;
        }
      } catch (RuntimeException e) {
        LOG.warnf("Pipeline engine round failed (%s); retrying", e.getMessage());
      } catch (Throwable e) {
        LOG.errorf(e, "Pipeline engine round failed (%s); retrying", e);
      }
      if (!busy) {
        pause();
      }
    }
  }

  private void pause() {
    synchronized (wake) {
      if (!woken && running) {
        try {
          wake.wait(config.poll().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      woken = false;
    }
  }

  /** One pass over one due run, in one transaction; false when no run was due. */
  boolean advanceOne() {
    UUID[] claimed = new UUID[1];
    List<UUID> jobs;
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        PipelineRunStore.RunRow run = PipelineRunStore.claimDue(c);
        if (run == null) {
          c.rollback();
          return false;
        }
        claimed[0] = run.id();
        PipelineSpec spec = spec(c, run.pipelineId(), run.revision());
        Map<String, StepState> steps = PipelineRunStore.steps(c, run.id());
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        Advance.Outcome outcome = Advance.pass(spec, steps, now);
        jobs =
            PipelineRunStore.save(c, run, spec, steps, outcome, now.plus(config.resync()))
                .jobsChanged();
        c.commit();
        metrics.pass(System.nanoTime() - t0);
        metrics.attemptsStarted((int) steps.values().stream().filter(st -> st.start).count());
        if (outcome.ended()) {
          metrics.runEnded(outcome.phase());
          LOG.infof(
              "pipeline=%s/%s run=%d %s",
              run.namespace(), run.pipeline(), run.number(), outcome.phase());
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        if (claimed[0] == null) {
          throw e;
        }
        LOG.warnf(
            "Pass over pipeline run %s failed (%s); retrying in %ds",
            claimed[0], e.getMessage(), FAILURE_BACKOFF.toSeconds());
        postpone(c, claimed[0]);
        return true;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Pipeline engine database access failed: " + e.getMessage(), e);
    }
    if (!jobs.isEmpty()) {
      jobsChanged.accept(jobs);
    }
    return true;
  }

  private static void postpone(Connection c, UUID run) throws SQLException {
    c.setAutoCommit(true);
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipeline_runs SET next_advance_at = now() + make_interval(secs => ?) WHERE id = ?")) {
      ps.setLong(1, FAILURE_BACKOFF.toSeconds());
      ps.setObject(2, run);
      ps.executeUpdate();
    }
  }

  private PipelineSpec spec(Connection c, UUID pipeline, int revision) throws SQLException {
    String key = pipeline + "#" + revision;
    PipelineSpec spec = specs.get(key);
    if (spec == null) {
      spec =
          SpecCodec.read(PipelineRunStore.revisionSpec(c, pipeline, revision), PipelineSpec.class);
      specs.put(key, spec);
    }
    return spec;
  }

  /** Starts the run of one pipeline whose schedule is due; false when none is. */
  boolean fireOne() {
    List<UUID> jobs = new ArrayList<>();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        PipelineRow p;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + PipelineRepository.COLUMNS
                    + " FROM pipelines WHERE next_fire_at <= now() AND deleted_at IS NULL"
                    + " AND NOT suspended ORDER BY next_fire_at LIMIT 1 FOR UPDATE SKIP LOCKED")) {
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              c.rollback();
              return false;
            }
            p = PipelineRepository.row(rs);
          }
        }
        fire(c, p, jobs);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Pipeline scheduler database access failed: " + e.getMessage(), e);
    }
    if (!jobs.isEmpty()) {
      jobsChanged.accept(jobs);
    }
    wake();
    return true;
  }

  private void fire(Connection c, PipelineRow p, List<UUID> jobs) throws SQLException {
    PipelineSpec spec = p.parsedSpec();
    Instant now = Instant.now();
    List<PipelineRunStore.RunRow> open = PipelineRunStore.openRuns(c, p.id());
    AuditLog.Subject subject =
        new AuditLog.Subject(p.id(), p.namespace(), p.name(), AuditLog.Subject.PIPELINE);
    boolean start = true;
    if (!open.isEmpty() && spec.concurrency() == PipelineSpec.ConcurrencyPolicy.Forbid) {
      start = false;
      metrics.scheduledRun(false);
      AuditLog.insert(
          c,
          subject,
          AuditLog.Actor.SLUICE,
          Actions.PIPELINE_RUN_SKIPPED,
          "success",
          p.currentRevision(),
          "scheduled run skipped: run "
              + open.get(0).number()
              + " is unfinished (concurrencyPolicy Forbid)");
    } else if (!open.isEmpty() && spec.concurrency() == PipelineSpec.ConcurrencyPolicy.Replace) {
      for (PipelineRunStore.RunRow run : open) {
        jobs.addAll(
            PipelineRunStore.cancel(
                c,
                run,
                "Replaced",
                "replaced by the next scheduled run (concurrencyPolicy Replace)",
                AuditLog.Actor.SLUICE));
      }
    }
    if (start) {
      int number = RunStart.takeNumber(c, p.id());
      Map<String, String> params = RunStart.parameters(spec, Map.of());
      PipelineRunStore.RunRow run =
          RunStart.insert(c, p, number, spec, params, "schedule", AuditLog.Actor.SLUICE.id());
      RunStart.recordCreated(c, run, "schedule", AuditLog.Actor.SLUICE);
      metrics.scheduledRun(true);
    }
    Instant next = PipelineSchedules.next(spec, now);
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pipelines SET next_fire_at = ?, last_fired_at = now() WHERE id = ?")) {
      ps.setObject(1, io.sluice.job.Timestamps.column(next));
      ps.setObject(2, p.id());
      ps.executeUpdate();
    }
  }
}
