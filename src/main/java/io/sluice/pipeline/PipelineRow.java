package io.sluice.pipeline;

import java.time.Instant;
import java.util.UUID;

/** A pipeline's row: identity, its current spec and what the engine keeps of its schedule. */
record PipelineRow(
    UUID id,
    String namespace,
    String name,
    int currentRevision,
    String spec,
    String specHash,
    long version,
    boolean suspended,
    int nextRunNumber,
    Instant nextFireAt,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    Integer lastRun,
    String lastRunPhase) {

  PipelineSpec parsedSpec() {
    return io.sluice.job.SpecCodec.read(spec, PipelineSpec.class);
  }
}
