package io.sluice.run;

import io.sluice.job.SpecCodec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Maps run rows to API records. */
final class RunMapper {
  private RunMapper() {}

  static RunResponse toResponse(RunEntity run) {
    return new RunResponse(
        run.id,
        run.namespace,
        run.jobName,
        run.number,
        run.revision,
        run.phase,
        run.trigger,
        run.k8sName,
        run.overrides == null ? null : SpecCodec.read(run.overrides, CreateRunRequest.class),
        run.createdBy,
        utc(run.createdAt),
        utc(run.startedAt),
        utc(run.finishedAt),
        run.attempts,
        run.reason,
        run.message,
        run.exitCode);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
