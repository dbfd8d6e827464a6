package io.sluice.job;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Maps rows to API records. Entities stop here; nothing outside the service layer sees them. */
public final class JobMapper {
  private JobMapper() {}

  public static JobResponse toResponse(JobEntity job) {
    return new JobResponse(
        job.id,
        job.namespace,
        job.name,
        job.type,
        job.workload,
        job.currentRevision,
        job.version,
        SpecCodec.spec(job.spec),
        new JobStatus(
            job.phase,
            job.message,
            job.appliedRevision,
            utc(job.lastSeen),
            job.readyReplicas,
            job.desiredReplicas,
            SpecCodec.conditions(job.conditions),
            job.lastStableRevision,
            SpecCodec.podIssues(job.podIssues)),
        new JobResponse.ScaleState(job.scaleReplicas, job.suspended),
        job.createdBy,
        utc(job.createdAt),
        utc(job.updatedAt));
  }

  static RevisionResponse toResponse(JobRevisionEntity revision) {
    return new RevisionResponse(
        revision.revision,
        SpecCodec.spec(revision.spec),
        revision.createdBy,
        utc(revision.createdAt),
        revision.changeCause,
        revision.rollbackOf,
        revision.automatic ? Boolean.TRUE : null);
  }

  /** Timestamps are answered in UTC. */
  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
