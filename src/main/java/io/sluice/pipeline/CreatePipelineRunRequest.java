package io.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST .../pipelines/{name}/runs}: values of the declared parameters. */
@Schema(name = "CreatePipelineRunRequest")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CreatePipelineRunRequest(
    @Schema(
            description =
                "Values by parameter name; declared defaults fill the rest. Values are plain text, never expanded again",
            example = "{\"date\": \"2026-12-01\"}")
        @Size(max = 64)
        Map<@NotNull @Size(max = 63) String, @NotNull @Size(max = 4096) String> parameters) {

  public static final CreatePipelineRunRequest EMPTY = new CreatePipelineRunRequest(null);

  public Map<String, String> parametersOrEmpty() {
    return parameters == null ? Map.of() : parameters;
  }
}
