package io.sluice.job;

import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.api.StoreException;
import io.sluice.audit.Actions;
import io.sluice.audit.AuditLog;
import io.sluice.audit.EventList;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Creates, changes and reads jobs. Each write is one local transaction holding the job row, its
 * revision and its audit event, so either all of them exist or none do.
 */
@ApplicationScoped
@Transactional
public class JobService {
  private final JobRepository jobs;
  private final JobSpecValidator validator;
  private final AuditLog audit;
  private final Caller actor;
  private final Event<JobChanged> changed;
  private final Event<io.sluice.run.RunsEnded> runsEnded;
  private final io.sluice.policy.Admission admission;

  public JobService(
      JobRepository jobs,
      JobSpecValidator validator,
      AuditLog audit,
      Caller actor,
      Event<JobChanged> changed,
      Event<io.sluice.run.RunsEnded> runsEnded,
      io.sluice.policy.Admission admission) {
    this.runsEnded = runsEnded;
    this.admission = admission;
    this.jobs = jobs;
    this.validator = validator;
    this.audit = audit;
    this.actor = actor;
    this.changed = changed;
  }

  public JobResponse create(String namespace, CreateJobRequest request) {
    JobSpec admitted = validator.validateCreate(namespace, request);
    // No look-up first: the unique index on live names answers a taken name at the insert below,
    // which saves a round trip on every create and is the only check that holds under races.
    Instant now = Timestamps.now();
    String spec = SpecCodec.toJson(admitted);
    JobEntity job = new JobEntity();
    job.id = Ids.next();
    job.namespace = namespace;
    job.name = request.name();
    job.type = request.type();
    job.workload =
        request.workload() != null ? request.workload() : request.type().defaultWorkload();
    job.currentRevision = 1;
    job.spec = spec;
    job.specHash = SpecCodec.sha256(spec);
    job.labels = SpecCodec.toJson(admitted.labelsOrEmpty());
    job.phase = JobPhase.PENDING;
    job.message = "Waiting to be applied to the cluster";
    job.createdAt = now;
    job.updatedAt = now;
    job.createdBy = actor.name();
    job.generation = 1;
    job.nextReconcileAt = now;
    job.nextRunNumber = 1;
    job.conditions = "[]";
    insertOrConflict(job, revision(job, request.changeCause(), now));
    // After the insert, which counted the job in its namespace's usage and locked that row: a
    // create over the quota rolls back with everything it wrote.
    JobRepository.Usage usage = jobs.lockUsage(namespace);
    long added = bytes(spec);
    admission.admitQuota(namespace, usage.jobs() - 1, usage.specBytes() - added, 1, added);
    audit.record(subject(job), Actions.JOB_CREATED, 1, describe(1, request.changeCause()));

    changed.fire(new JobChanged(job.id));
    return JobMapper.toResponse(job);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public JobResponse get(String namespace, String name) {
    return JobMapper.toResponse(live(namespace, name));
  }

  /** Jobs by id, deleted ones too (as they were when deleted), for the watch API. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public java.util.Map<UUID, JobResponse> byIds(java.util.Collection<UUID> ids) {
    java.util.Map<UUID, JobResponse> found = new java.util.HashMap<>();
    if (!ids.isEmpty()) {
      jobs.byIds(ids).forEach(job -> found.put(job.id, JobMapper.toResponse(job)));
    }
    return found;
  }

  /** The id of a live job, for a watch of its runs. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public UUID liveId(String namespace, String name) {
    return live(namespace, name).id;
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public JobList list(JobFilter filter, PageRequest page) {
    Page<JobResponse> result = jobs.list(filter, page).map(JobMapper::toResponse);
    return new JobList(result.items(), result.nextCursor());
  }

  /** Replaces the spec. A spec equal to the current one changes nothing and writes no revision. */
  public JobResponse update(
      String namespace, String name, String ifMatch, UpdateJobRequest request) {
    JobEntity job = lockForChange(namespace, name, ifMatch);
    JobSpec admitted = validator.validateUpdate(job, request);
    String spec = SpecCodec.toJson(admitted);
    if (SpecCodec.sha256(spec).equals(job.specHash)) {
      return JobMapper.toResponse(job);
    }
    newRevision(job, admitted, request.changeCause(), null, false);
    audit.record(
        subject(job),
        Actions.JOB_UPDATED,
        job.currentRevision,
        describe(job.currentRevision, request.changeCause()));
    return committed(job);
  }

  /** The live job, row-locked, after checking {@code If-Match} against its version. */
  public JobEntity lockForChange(String namespace, String name, String ifMatch) {
    JobEntity job =
        jobs.lockLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    io.sluice.api.ETags.checkIfMatch(ifMatch, job.version);
    return job;
  }

  /**
   * Points the job at a new revision holding {@code spec}. A scale set through the scale endpoint
   * survives, unless the new spec changes {@code replicas} itself.
   */
  public void newRevision(
      JobEntity job, JobSpec spec, String changeCause, Integer rollbackOf, boolean automatic) {
    Instant now = Timestamps.now();
    String json = SpecCodec.toJson(spec);
    long grows = bytes(json) - bytes(job.spec);
    if (grows > 0) {
      JobRepository.Usage usage = jobs.lockUsage(job.namespace);
      admission.admitQuota(job.namespace, usage.jobs(), usage.specBytes(), 0, grows);
    }
    Integer previousReplicas = SpecCodec.spec(job.spec).replicas();
    if (!java.util.Objects.equals(previousReplicas, spec.replicas())) {
      job.scaleReplicas = null;
    }
    job.currentRevision++;
    job.spec = json;
    job.specHash = SpecCodec.sha256(job.spec);
    job.labels = SpecCodec.toJson(spec.labelsOrEmpty());
    job.updatedAt = now;
    job.touch(now);
    job.phase = JobPhase.PENDING;
    job.message = "Revision " + job.currentRevision + " waiting to be applied to the cluster";
    JobRevisionEntity revision = revision(job, changeCause, now);
    revision.rollbackOf = rollbackOf;
    revision.automatic = automatic;
    jobs.persistRevision(revision);
  }

  /** Stores a change to a locked job and wakes the reconciler once it commits. */
  public JobResponse committed(JobEntity job) {
    jobs.save(job);
    changed.fire(new JobChanged(job.id));
    return JobMapper.toResponse(job);
  }

  /** Records an audit event about a job in the current transaction. */
  public void record(JobEntity job, String action, Integer revision, String message) {
    audit.record(subject(job), action, revision, message);
  }

  /**
   * Marks the job deleted. Its Kubernetes objects are removed asynchronously (volumes only when
   * {@code purgeVolumes}); its revisions and events stay in PostgreSQL.
   */
  public JobResponse delete(String namespace, String name, String ifMatch, boolean purgeVolumes) {
    JobEntity job =
        jobs.lockLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    io.sluice.api.ETags.checkIfMatch(ifMatch, job.version);
    Instant now = Timestamps.now();
    job.deletedAt = now;
    job.deletedBy = actor.name();
    job.purgeVolumes = purgeVolumes;
    job.updatedAt = now;
    job.phase = JobPhase.DELETING;
    job.message =
        purgeVolumes ? "Deleting objects and volumes" : "Deleting objects; volumes are kept";
    job.touch(now);
    if (jobs.cancelOpenRuns(
            job.id,
            "JobDeleted",
            "The job was deleted by " + actor.displayName() + " before this run ended")
        > 0) {
      runsEnded.fire(new io.sluice.run.RunsEnded(job.id));
    }
    audit.record(subject(job), Actions.JOB_DELETED, job.currentRevision, job.message);
    jobs.save(job);
    changed.fire(new JobChanged(job.id));
    return JobMapper.toResponse(job);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public RevisionList revisions(String namespace, String name, PageRequest page) {
    JobEntity job = live(namespace, name);
    Page<RevisionResponse> result = jobs.listRevisions(job.id, page).map(JobMapper::toResponse);
    return new RevisionList(result.items(), result.nextCursor());
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public RevisionResponse revision(String namespace, String name, int revision) {
    JobEntity job = live(namespace, name);
    return jobs.findRevision(job.id, revision)
        .map(JobMapper::toResponse)
        .orElseThrow(
            () ->
                new SluiceException(
                    Reason.REVISION_NOT_FOUND,
                    "Job '"
                        + name
                        + "' has no revision "
                        + revision
                        + " (current: "
                        + job.currentRevision
                        + ")"));
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public EventList events(String namespace, String name, PageRequest page) {
    return audit.list(live(namespace, name).id, page);
  }

  /**
   * What rendering needs to show the objects of a revision (default: the current one) with the
   * job's scale and suspension as they are now; a batch job gets a preview of its next run's Job.
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public io.sluice.render.RenderInput renderInput(String namespace, String name, Integer revision) {
    JobEntity job = live(namespace, name);
    int n = revision == null ? job.currentRevision : revision;
    JobSpec spec =
        n == job.currentRevision
            ? SpecCodec.spec(job.spec)
            : jobs.findRevision(job.id, n)
                .map(r -> SpecCodec.spec(r.spec))
                .orElseThrow(
                    () ->
                        new SluiceException(
                            Reason.REVISION_NOT_FOUND, "Job '" + name + "' has no revision " + n));
    return io.sluice.render.RenderInput.preview(
            job.id, namespace, name, job.type, job.workload, n, spec, job.nextRunNumber)
        .withScale(job.scaleReplicas, job.suspended);
  }

  private JobEntity live(String namespace, String name) {
    return jobs.findLive(namespace, name)
        .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
  }

  private JobRevisionEntity revision(JobEntity job, String changeCause, Instant now) {
    JobRevisionEntity revision = new JobRevisionEntity();
    revision.jobId = job.id;
    revision.revision = job.currentRevision;
    revision.spec = job.spec;
    revision.specHash = job.specHash;
    revision.createdAt = now;
    revision.createdBy = actor.name();
    revision.changeCause = changeCause;
    return revision;
  }

  /** The unique index of live job names (migration V1): losing a race for a name on it is a 409. */
  private static final String LIVE_NAME_INDEX = "jobs_live_name";

  private void insertOrConflict(JobEntity job, JobRevisionEntity revision) {
    try {
      jobs.insertNew(job, revision);
    } catch (java.sql.SQLException e) {
      if (io.sluice.api.SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState())
          && (e.getMessage() == null || e.getMessage().contains(LIVE_NAME_INDEX))) {
        throw exists(job.namespace, job.name);
      }
      throw new StoreException("Could not store job " + job.name, e);
    }
  }

  private static long bytes(String json) {
    return json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static SluiceException exists(String namespace, String name) {
    return new SluiceException(
        Reason.JOB_EXISTS,
        "A job named '" + name + "' already exists in namespace '" + namespace + "'");
  }

  private static AuditLog.Subject subject(JobEntity job) {
    return new AuditLog.Subject(job.id, job.namespace, job.name);
  }

  private static String describe(int revision, String changeCause) {
    return changeCause == null || changeCause.isBlank()
        ? "revision " + revision
        : "revision " + revision + ": " + changeCause;
  }
}
