package io.sluice.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.job.JobSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional per-run overrides of the job's spec. An empty body runs the spec as it is. */
@Schema(name = "CreateRunRequest")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CreateRunRequest(
    @Schema(
            description = "Replaces the spec's args for this run",
            example = "[\"--date\", \"2026-11-26\"]")
        @Size(max = 256)
        List<@NotNull @Size(max = 4096) String> args,
    @Schema(description = "Added to (or replacing by name) the spec's env for this run")
        @Size(max = 64)
        List<JobSpec.@Valid @NotNull EnvVar> env) {

  public static final CreateRunRequest EMPTY = new CreateRunRequest(null, null);
}
