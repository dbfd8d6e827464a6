package io.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One field-level problem in a rejected request body, e.g. {@code spec.replicas}. */
@Schema(description = "A problem with one field of the request")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(
    @Schema(description = "Path of the field in the request body", example = "spec.replicas")
        String field,
    @Schema(description = "What is wrong with it", example = "must be greater than or equal to 0")
        String message,
    @Schema(
            description = "The namespace policy rule that failed, for policy violations",
            example = "maxReplicas")
        String rule) {

  public FieldError(String field, String message) {
    this(field, message, null);
  }
}
