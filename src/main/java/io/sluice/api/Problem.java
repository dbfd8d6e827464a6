package io.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem document, the body of every error Sluice returns. */
@Schema(name = "Problem", description = "RFC 9457 problem details")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    @Schema(example = "https://sluice.io/problems/validation-failed") String type,
    @Schema(example = "Validation failed") String title,
    @Schema(example = "422") int status,
    @Schema(example = "spec.replicas: must be greater than or equal to 0") String detail,
    @Schema(example = "/api/v1/namespaces/data/jobs") String instance,
    @Schema(description = "Machine-readable reason", example = "VALIDATION_FAILED") String reason,
    @Schema(description = "Field-level errors, for validation problems") List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

  public static Problem of(Reason reason, String detail, String instance, List<FieldError> errors) {
    return new Problem(
        reason.type(), reason.title(), reason.status(), detail, instance, reason.name(), errors);
  }

  public Response toResponse() {
    return Response.status(status).type(MEDIA).entity(this).build();
  }
}
