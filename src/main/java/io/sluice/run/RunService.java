package io.sluice.run;

import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.job.Ids;
import io.sluice.job.JobChanged;
import io.sluice.job.JobEntity;
import io.sluice.job.JobRepository;
import io.sluice.job.KubernetesSyntax;
import io.sluice.job.SpecCodec;
import io.sluice.job.Timestamps;
import io.sluice.render.Names;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts, reads and cancels runs of batch and scheduled jobs. A new run is a row plus a bump of the
 * job's generation in one transaction; the reconciler creates its Kubernetes Job.
 */
@ApplicationScoped
@Transactional
public class RunService {
  static final String CURSOR_KIND = "run";

  private final JobRepository jobs;
  private final EntityManager em;
  private final AuditLog audit;
  private final Caller actor;
  private final Validator validator;
  private final Event<JobChanged> changed;
  private final io.micrometer.core.instrument.MeterRegistry registry;

  public RunService(
      JobRepository jobs,
      EntityManager em,
      AuditLog audit,
      Caller actor,
      Validator validator,
      Event<JobChanged> changed,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this.jobs = jobs;
    this.em = em;
    this.audit = audit;
    this.actor = actor;
    this.validator = validator;
    this.changed = changed;
    this.registry = registry;
  }

  public RunResponse create(String namespace, String name, CreateRunRequest request) {
    CreateRunRequest overrides = request == null ? CreateRunRequest.EMPTY : request;
    validate(overrides);
    JobEntity job =
        jobs.lockLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    if (!job.workload.isBatch()) {
      throw new SluiceException(
          Reason.NOT_RUNNABLE,
          "Job '"
              + name
              + "' is a "
              + job.workload
              + " workload: it runs continuously and has no runs");
    }
    if (job.suspended) {
      throw new SluiceException(
          Reason.SUSPENDED, "Job '" + name + "' is suspended; resume it before starting runs");
    }
    Instant now = Timestamps.now();
    RunEntity run = new RunEntity();
    run.id = Ids.next();
    run.jobId = job.id;
    run.number = job.nextRunNumber++;
    run.namespace = namespace;
    run.jobName = name;
    run.revision = job.currentRevision;
    run.k8sName = Names.runJob(name, run.number);
    run.trigger = "manual";
    run.overrides = overrides.equals(CreateRunRequest.EMPTY) ? null : SpecCodec.toJson(overrides);
    run.phase = RunPhase.PENDING;
    run.createdAt = now;
    run.createdBy = actor.name();
    job.touch(now);
    em.persist(run);
    audit.record(subject(job), Actions.RUN_CREATED, run.revision, "run " + run.number);
    em.flush();
    changed.fire(new JobChanged(job.id));
    registry.counter("sluice.runs.created", "trigger", "manual").increment();
    return RunMapper.toResponse(run);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public RunList list(String namespace, String name, RunPhase phase, PageRequest page) {
    JobEntity job =
        jobs.findLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    long before =
        page.hasCursor() ? Cursor.decodeLong(page.cursor(), CURSOR_KIND) : Integer.MAX_VALUE;
    String filter = phase == null ? "" : " and phase = :phase";
    var query =
        em.createQuery(
                "from RunEntity where jobId = :job and number < :before"
                    + filter
                    + " order by number desc",
                RunEntity.class)
            .setParameter("job", job.id)
            .setParameter("before", (int) Math.min(before, Integer.MAX_VALUE))
            .setMaxResults(page.limit() + 1);
    if (phase != null) {
      query.setParameter("phase", phase);
    }
    List<RunEntity> rows = new ArrayList<>(query.getResultList());
    Page<RunResponse> result =
        Page.of(
                rows,
                page.limit(),
                last -> Cursor.encode(CURSOR_KIND, Integer.toString(last.number)))
            .map(RunMapper::toResponse);
    return new RunList(result.items(), result.nextCursor());
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
    run.message = "Cancelled by " + actor.name();
    job.touch(now);
    audit.record(subject(job), Actions.RUN_CANCELLED, run.revision, "run " + number);
    registry.counter("sluice.runs.cancelled").increment();
    em.flush();
    changed.fire(new JobChanged(job.id));
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
    var query =
        em.createQuery("from RunEntity where jobId = :job and number = :number", RunEntity.class)
            .setParameter("job", job.id)
            .setParameter("number", number);
    if (lock) {
      query.setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }
    return query
        .getResultStream()
        .findFirst()
        .orElseThrow(
            () ->
                new SluiceException(
                    Reason.RUN_NOT_FOUND, "Job '" + job.name + "' has no run " + number));
  }

  private void validate(CreateRunRequest overrides) {
    List<io.sluice.api.FieldError> errors = new ArrayList<>();
    validator
        .validate(overrides)
        .forEach(
            v ->
                errors.add(
                    new io.sluice.api.FieldError(
                        v.getPropertyPath().toString().replaceAll("\\.<[a-z ]+>", ""),
                        v.getMessage())));
    if (overrides.env() != null) {
      for (int i = 0; i < overrides.env().size(); i++) {
        String envName = overrides.env().get(i).name();
        if (envName != null
            && (!KubernetesSyntax.isEnvName(envName) || envName.startsWith("SLUICE_"))) {
          errors.add(
              new io.sluice.api.FieldError(
                  "env[" + i + "].name",
                  "must be a valid variable name outside the SLUICE_ prefix"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw SluiceException.invalid(errors);
    }
  }

  private static AuditLog.Subject subject(JobEntity job) {
    return new AuditLog.Subject(job.id, job.namespace, job.name);
  }
}
