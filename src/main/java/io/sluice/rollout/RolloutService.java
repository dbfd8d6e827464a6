package io.sluice.rollout;

import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.audit.Actions;
import io.sluice.job.JobEntity;
import io.sluice.job.JobPhase;
import io.sluice.job.JobRepository;
import io.sluice.job.JobResponse;
import io.sluice.job.JobService;
import io.sluice.job.JobSpec;
import io.sluice.job.SpecCodec;
import io.sluice.job.Timestamps;
import io.sluice.job.Workload;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Capacity and undo: scale, suspend and resume (operational state, no revision), and rollback (a
 * new revision copying an old one's spec: history stays append-only).
 */
@ApplicationScoped
@Transactional
public class RolloutService {
  private final JobService jobs;
  private final JobRepository repository;
  private final io.sluice.policy.Admission admission;

  public RolloutService(
      JobService jobs, JobRepository repository, io.sluice.policy.Admission admission) {
    this.jobs = jobs;
    this.repository = repository;
    this.admission = admission;
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public ScaleResponse scale(String namespace, String name) {
    JobEntity job =
        repository
            .findLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    return scaleOf(job);
  }

  /** A scale set, and the job's version after it (the new ETag). */
  public record Scaled(ScaleResponse scale, long version) {}

  public Scaled setScale(String namespace, String name, String ifMatch, ScaleRequest request) {
    if (request == null || request.replicas() == null) {
      throw SluiceException.invalid("replicas", "is required");
    }
    JobEntity job = jobs.lockForChange(namespace, name, ifMatch);
    JobSpec spec = SpecCodec.spec(job.spec);
    if (spec.autoscaling() != null) {
      throw new SluiceException(
          Reason.AUTOSCALED,
          "Job '"
              + name
              + "' is autoscaled between "
              + spec.autoscaling().minReplicas()
              + " and "
              + spec.autoscaling().maxReplicas()
              + " replicas; change spec.autoscaling instead of scaling by hand");
    }
    if (request.replicas() < 0) {
      throw SluiceException.invalid("replicas", "must be at least 0");
    }
    if (job.workload == Workload.SPARK && request.replicas() < 1) {
      throw SluiceException.invalid(
          "replicas", "a Spark application needs at least 1 executor; suspend the job instead");
    }
    admission.admitScale(namespace, job.workload, request.replicas(), spec);
    Integer before = effective(job, spec);
    job.scaleReplicas = request.replicas();
    job.updatedAt = Timestamps.now();
    job.touch(job.updatedAt);
    jobs.record(
        job,
        Actions.JOB_SCALED,
        job.currentRevision,
        unit(job.workload) + " " + before + " -> " + request.replicas());
    jobs.committed(job);
    return new Scaled(scaleOf(job), job.version);
  }

  public JobResponse suspend(String namespace, String name, String ifMatch) {
    return setSuspended(namespace, name, ifMatch, true);
  }

  public JobResponse resume(String namespace, String name, String ifMatch) {
    return setSuspended(namespace, name, ifMatch, false);
  }

  private JobResponse setSuspended(
      String namespace, String name, String ifMatch, boolean suspended) {
    JobEntity job = jobs.lockForChange(namespace, name, ifMatch);
    if (job.suspended == suspended) {
      return io.sluice.job.JobMapper.toResponse(job);
    }
    job.suspended = suspended;
    job.updatedAt = Timestamps.now();
    job.touch(job.updatedAt);
    job.phase = suspended ? JobPhase.SUSPENDED : JobPhase.PENDING;
    job.message = suspended ? "Suspending" : "Resuming";
    jobs.record(
        job,
        suspended ? Actions.JOB_SUSPENDED : Actions.JOB_RESUMED,
        job.currentRevision,
        suspended ? describeSuspend(job.workload) : "resumed");
    return jobs.committed(job);
  }

  private static String describeSuspend(Workload workload) {
    return switch (workload) {
      case SERVICE, STATEFUL -> "scaled to zero; resume restores the previous count";
      case SCHEDULED -> "CronJob suspended; no new runs are scheduled";
      case BATCH -> "active runs suspended; new runs are refused until resumed";
      case SPARK -> "new runs are refused until resumed; submitted applications finish";
      case FLINK -> "Flink job suspended (its upgradeMode keeps the state); resume restarts it";
    };
  }

  /** What a scale count counts, in the audit trail. */
  private static String unit(Workload workload) {
    return switch (workload) {
      case SERVICE, STATEFUL -> "replicas";
      case BATCH, SCHEDULED, FLINK -> "parallelism";
      case SPARK -> "executors";
    };
  }

  /** Rolls back by writing a new revision with an older revision's spec. */
  public JobResponse rollback(
      String namespace, String name, String ifMatch, RollbackRequest request) {
    RollbackRequest body = request == null ? RollbackRequest.PREVIOUS : request;
    JobEntity job = jobs.lockForChange(namespace, name, ifMatch);
    if (job.currentRevision == 1) {
      throw new SluiceException(
          Reason.NOTHING_TO_ROLL_BACK,
          "Job '" + name + "' has only one revision: there is nothing to roll back to");
    }
    int target = body.toRevision() == null ? job.currentRevision - 1 : body.toRevision();
    if (target == job.currentRevision) {
      throw new SluiceException(
          Reason.NOTHING_TO_ROLL_BACK,
          "Revision " + target + " is the current revision of '" + name + "'");
    }
    var revision =
        repository
            .findRevision(job.id, target)
            .orElseThrow(
                () ->
                    new SluiceException(
                        Reason.REVISION_NOT_FOUND,
                        "Job '"
                            + name
                            + "' has no revision "
                            + target
                            + " (current: "
                            + job.currentRevision
                            + ")"));
    if (revision.specHash.equals(job.specHash)) {
      throw new SluiceException(
          Reason.NOTHING_TO_ROLL_BACK,
          "Revision "
              + target
              + " has the same spec as the current revision "
              + job.currentRevision);
    }
    String cause =
        body.changeCause() != null ? body.changeCause() : "rollback to revision " + target;
    // The namespace's policy may have tightened since that revision was written.
    JobSpec spec =
        admission.admit(namespace, name, job.type, job.workload, SpecCodec.spec(revision.spec));
    jobs.newRevision(job, spec, cause, target, false);
    jobs.record(
        job,
        Actions.JOB_ROLLED_BACK,
        job.currentRevision,
        "revision "
            + job.currentRevision
            + " rolls back to revision "
            + target
            + (body.changeCause() != null ? ": " + body.changeCause() : ""));
    return jobs.committed(job);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public DiffResponse diff(String namespace, String name, int from, int to) {
    JobEntity job =
        repository
            .findLive(namespace, name)
            .orElseThrow(() -> SluiceException.jobNotFound(namespace, name));
    return new DiffResponse(from, to, SpecDiff.between(spec(job, from), spec(job, to)));
  }

  private JobSpec spec(JobEntity job, int revision) {
    return repository
        .findRevision(job.id, revision)
        .map(r -> SpecCodec.spec(r.spec))
        .orElseThrow(
            () ->
                new SluiceException(
                    Reason.REVISION_NOT_FOUND,
                    "Job '"
                        + job.name
                        + "' has no revision "
                        + revision
                        + " (current: "
                        + job.currentRevision
                        + ")"));
  }

  private static ScaleResponse scaleOf(JobEntity job) {
    JobSpec spec = SpecCodec.spec(job.spec);
    String source =
        job.suspended
            ? "suspended"
            : spec.autoscaling() != null
                ? "autoscaler"
                : job.scaleReplicas != null ? "scale" : "spec";
    Integer replicas =
        job.suspended
            ? Integer.valueOf(0)
            : spec.autoscaling() != null ? null : effective(job, spec);
    return new ScaleResponse(
        replicas, job.workload.isLongRunning() ? job.readyReplicas : null, source, job.suspended);
  }

  private static Integer effective(JobEntity job, JobSpec spec) {
    if (job.workload == Workload.SPARK) {
      return spec.spark().executorsAtMost(job.scaleReplicas);
    }
    if (job.scaleReplicas != null) {
      return job.scaleReplicas;
    }
    if (job.workload == Workload.FLINK) {
      return spec.flink().parallelismOrDefault();
    }
    if (job.workload.isLongRunning()) {
      return spec.replicas() == null ? 1 : spec.replicas();
    }
    return spec.batch() == null || spec.batch().parallelism() == null
        ? 1
        : spec.batch().parallelism();
  }
}
