package io.sluice.pipeline;

import io.sluice.job.SpecCodec;
import io.sluice.run.RunPhase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Rows to the API's records: nothing from persistence leaves the service layer. */
final class PipelineMapper {
  private PipelineMapper() {}

  static PipelineResponse toResponse(PipelineRow p) {
    return new PipelineResponse(
        p.id(),
        p.namespace(),
        p.name(),
        p.currentRevision(),
        p.version(),
        p.parsedSpec(),
        new PipelineResponse.Status(
            p.suspended(),
            time(p.nextFireAt()),
            p.lastRun(),
            p.lastRunPhase() == null ? null : RunPhase.valueOf(p.lastRunPhase())),
        p.createdBy(),
        time(p.createdAt()),
        time(p.updatedAt()));
  }

  static PipelineRevisionResponse toResponse(PipelineRepository.RevisionRow r) {
    return new PipelineRevisionResponse(
        r.revision(),
        SpecCodec.read(r.spec(), PipelineSpec.class),
        r.createdBy(),
        time(r.createdAt()),
        r.changeCause(),
        r.rollbackOf());
  }

  static OffsetDateTime time(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
