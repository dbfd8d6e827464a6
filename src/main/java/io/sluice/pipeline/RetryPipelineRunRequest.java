package io.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST .../runs/{run}/retry}; empty: re-run what failed or was cancelled. */
@Schema(name = "RetryPipelineRunRequest")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetryPipelineRunRequest(
    @Schema(
            description =
                "Also re-run this step and every step downstream of it, even if they succeeded",
            example = "load")
        @Size(max = 63)
        String from,
    @Schema(
            description =
                "Job revisions of the re-run steps: pinned (default, those the run started with) or current (each job as it is now)")
        Revisions revisions) {

  public static final RetryPipelineRunRequest FAILED = new RetryPipelineRunRequest(null, null);

  @Schema(
      name = "RetryRevisions",
      enumeration = {"pinned", "current"})
  public enum Revisions {
    pinned,
    current;

    @com.fasterxml.jackson.annotation.JsonValue
    public String value() {
      return name();
    }
  }

  public boolean current() {
    return revisions == Revisions.current;
  }
}
