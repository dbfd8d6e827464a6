package io.sluice.run;

import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.api.StoreException;
import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.job.Ids;
import io.sluice.job.JobChanged;
import io.sluice.job.JobEntity;
import io.sluice.job.JobRepository;
import io.sluice.job.KubernetesSyntax;
import io.sluice.job.SpecCodec;
import io.sluice.job.Timestamps;
import io.sluice.job.Workload;
import io.sluice.render.Names;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Starts, reads and cancels runs of batch and scheduled jobs. A new run is a row plus a bump of the
 * job's generation in one transaction; the reconciler creates its Kubernetes Job.
 */
@ApplicationScoped
@Transactional
public class RunService {
  static final String CURSOR_KIND = "run";

  private final JobRepository jobs;
  private final AuditLog audit;
  private final Caller actor;
  private final Event<JobChanged> changed;
  private final Event<RunsEnded> runsEnded;
  private final io.micrometer.core.instrument.MeterRegistry registry;
  private final DataSource db;
  private final io.sluice.api.WritesAtCommit writes;

  public RunService(
      JobRepository jobs,
      AuditLog audit,
      Caller actor,
      Event<JobChanged> changed,
      Event<RunsEnded> runsEnded,
      io.micrometer.core.instrument.MeterRegistry registry,
      DataSource db,
      io.sluice.api.WritesAtCommit writes) {
    this.writes = writes;
    this.runsEnded = runsEnded;
    this.jobs = jobs;
    this.audit = audit;
    this.actor = actor;
    this.changed = changed;
    this.registry = registry;
    this.db = db;
  }

  public RunResponse create(String namespace, String name, CreateRunRequest request) {
    CreateRunRequest overrides = request == null ? CreateRunRequest.EMPTY : request;
    validate(overrides);
    Instant now = Timestamps.now();
    Numbered job = takeNumber(namespace, name, now);
    if (!job.workload().isBatch()) {
      throw new SluiceException(
          Reason.NOT_RUNNABLE,
          "Job '"
              + name
              + "' is a "
              + job.workload()
              + " workload: it runs continuously and has no runs");
    }
    if (job.suspended()) {
      throw new SluiceException(
          Reason.SUSPENDED, "Job '" + name + "' is suspended; resume it before starting runs");
    }
    RunEntity run = new RunEntity();
    run.id = Ids.next();
    run.jobId = job.id();
    run.number = job.number();
    run.namespace = namespace;
    run.jobName = name;
    run.revision = job.revision();
    run.k8sName = Names.runJob(name, run.number);
    run.trigger = "manual";
    run.overrides = overrides.equals(CreateRunRequest.EMPTY) ? null : SpecCodec.toJson(overrides);
    run.phase = RunPhase.PENDING;
    run.createdAt = now;
    run.createdBy = actor.name();
    insert(run);
    audit.record(
        new AuditLog.Subject(job.id(), namespace, name),
        Actions.RUN_CREATED,
        run.revision,
        "run " + run.number);
    changed.fire(new JobChanged(job.id()));
    registry.counter("sluice.runs.created", "trigger", "manual").increment();
    return RunMapper.toResponse(run);
  }

  /** What a new run needs of its job, read while taking the run's number. */
  private record Numbered(
      UUID id, Workload workload, boolean suspended, int revision, int number) {}

  // Starting a run is the hottest write after creating jobs (Airflow starts them by the thousand):
  // plain JDBC on the transaction's connection, no entity loaded: this UPDATE, then RunRows' INSERT
  // held until the commit (WritesAtCommit). The UPDATE locks the job row first, the order the
  // reconciler locks in; a refusal below rolls it back.
  private static final String TAKE_NUMBER =
      "UPDATE jobs SET next_run_number = next_run_number + 1, generation = generation + 1,"
          + " next_reconcile_at = ?, version = version + 1"
          + " WHERE namespace = ? AND name = ? AND deleted_at IS NULL"
          + " RETURNING id, workload, suspended, current_revision, next_run_number - 1";

  private Numbered takeNumber(String namespace, String name, Instant now) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(TAKE_NUMBER)) {
      ps.setObject(1, Timestamps.column(now));
      ps.setString(2, namespace);
      ps.setString(3, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw SluiceException.jobNotFound(namespace, name);
        }
        return new Numbered(
            rs.getObject(1, UUID.class),
            Workload.valueOf(rs.getString(2).toUpperCase()),
            rs.getBoolean(3),
            rs.getInt(4),
            rs.getInt(5));
      }
    } catch (SQLException e) {
      throw new StoreException("Could not start a run of " + name, e);
    }
  }

  /** Nothing reads the new row before the commit: it goes with the transaction's other writes. */
  private void insert(RunEntity run) {
    writes.add(
        RunRows.INSERT,
        (ps, first) -> RunRows.bind(ps, first, run, null),
        "run " + run.number + " of " + run.jobName);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public RunList list(String namespace, String name, RunPhase phase, PageRequest page) {
    JobEntity job =
        jobs.findLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    long before =
        page.hasCursor() ? Cursor.decodeLong(page.cursor(), CURSOR_KIND) : Integer.MAX_VALUE;
    List<Object> params =
        new ArrayList<>(List.of(job.id, (int) Math.min(before, Integer.MAX_VALUE)));
    String filter = "";
    if (phase != null) {
      filter = " AND phase = ?";
      params.add(phase.name());
    }
    params.add(page.limit() + 1);
    List<RunEntity> rows =
        runs(
            RunRows.SELECT
                + " WHERE job_id = ? AND number < ?"
                + filter
                + " ORDER BY number DESC LIMIT ?",
            params);
    Page<RunResponse> result =
        Page.of(
                rows,
                page.limit(),
                last -> Cursor.encode(CURSOR_KIND, Integer.toString(last.number)))
            .map(RunMapper::toResponse);
    return new RunList(result.items(), result.nextCursor());
  }

  /** Runs by id, for the watch API. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public java.util.Map<java.util.UUID, RunResponse> byIds(
      java.util.Collection<java.util.UUID> ids) {
    java.util.Map<java.util.UUID, RunResponse> found = new java.util.HashMap<>();
    if (!ids.isEmpty()) {
      runs(RunRows.SELECT + " WHERE id = ANY(?)", List.of((Object) ids.toArray(UUID[]::new)))
          .forEach(run -> found.put(run.id, RunMapper.toResponse(run)));
    }
    return found;
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public RunResponse get(String namespace, String name, int number) {
    return RunMapper.toResponse(find(namespace, name, number));
  }

  /** Cancels an unfinished run: it ends CANCELLED at once; its Kubernetes Job is deleted. */
  public RunResponse cancel(String namespace, String name, int number) {
    // Job row before run row, the order the reconciler locks them in: no deadlock between them.
    JobEntity job =
        jobs.lockLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    RunEntity run = run(job, number, true);
    if (run.phase.isTerminal()) {
      throw new SluiceException(
          Reason.RUN_FINISHED, "Run " + number + " of '" + name + "' already ended " + run.phase);
    }
    Instant now = Timestamps.now();
    run.phase = RunPhase.CANCELLED;
    run.finishedAt = now;
    run.reason = "Cancelled";
    run.message = "Cancelled by " + actor.displayName();
    job.touch(now);
    audit.record(subject(job), Actions.RUN_CANCELLED, run.revision, "run " + number);
    registry.counter("sluice.runs.cancelled").increment();
    saveCancelled(run);
    jobs.save(job);
    changed.fire(new JobChanged(job.id));
    runsEnded.fire(new RunsEnded(job.id));
    return RunMapper.toResponse(run);
  }

  RunEntity find(String namespace, String name, int number) {
    JobEntity job =
        jobs.findLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    return run(job, number, false);
  }

  /** Run {@code number} of a job already loaded (and, for a change, already locked). */
  private RunEntity run(JobEntity job, int number, boolean lock) {
    return runs(
            RunRows.SELECT + " WHERE job_id = ? AND number = ?" + (lock ? " FOR UPDATE" : ""),
            List.of(job.id, number))
        .stream()
        .findFirst()
        .orElseThrow(
            () ->
                new SluiceException(
                    Reason.RUN_NOT_FOUND, "Job '" + job.name + "' has no run " + number));
  }

  private List<RunEntity> runs(String sql, List<Object> params) {
    return io.sluice.api.Sql.query(db, "Could not read runs", sql, params, RunRows::read);
  }

  private void saveCancelled(RunEntity run) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE runs SET phase = ?, finished_at = ?, reason = ?, message = ? WHERE id = ?")) {
      ps.setString(1, run.phase.name());
      ps.setObject(2, Timestamps.column(run.finishedAt));
      ps.setString(3, run.reason);
      ps.setString(4, run.message);
      ps.setObject(5, run.id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not cancel run " + run.number, e);
    }
  }

  private void validate(CreateRunRequest overrides) {
    io.sluice.job.JobSpecValidator.Errors errors = new io.sluice.job.JobSpecValidator.Errors();
    errors.addAll(io.sluice.api.Constraints.check(overrides));
    if (overrides.env() != null) {
      for (int i = 0; i < overrides.env().size(); i++) {
        String envName = overrides.env().get(i).name();
        if (envName != null && !KubernetesSyntax.isUserEnvName(envName)) {
          errors.add("env[" + i + "].name", KubernetesSyntax.USER_ENV_NAME_RULE);
        }
      }
    }
    errors.throwIfAny();
  }

  private static AuditLog.Subject subject(JobEntity job) {
    return new AuditLog.Subject(job.id, job.namespace, job.name);
  }
}
