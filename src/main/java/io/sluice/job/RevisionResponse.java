package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One immutable, numbered snapshot of a job's spec. */
@Schema(name = "Revision")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevisionResponse(
    @Schema(example = "2") int revision,
    JobSpec spec,
    @Schema(example = "alice") String createdBy,
    OffsetDateTime createdAt,
    @Schema(example = "bump image to 1.5.0") String changeCause,
    @Schema(description = "Revision whose spec this one copies, when it is a rollback")
        Integer rollbackOf,
    @Schema(description = "True when Sluice rolled back by itself after a rollout deadline")
        Boolean automatic) {}
