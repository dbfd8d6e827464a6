package io.sluice.rollout;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The spec changes from one revision to another. */
@Schema(name = "RevisionDiff")
public record DiffResponse(
    @Schema(example = "2") int from,
    @Schema(example = "3") int to,
    List<SpecDiff.Change> changes) {}
