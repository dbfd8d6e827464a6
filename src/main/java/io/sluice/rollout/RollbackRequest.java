package io.sluice.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST .../rollback}; without {@code toRevision}, the previous revision. */
@Schema(name = "RollbackRequest")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RollbackRequest(
    @Schema(
            description = "Revision to roll back to (default: the one before the current)",
            example = "2")
        @Min(1)
        Integer toRevision,
    @Schema(description = "Why; kept on the new revision", example = "1.5.0 drops rows")
        @Size(max = 1024)
        String changeCause) {

  public static final RollbackRequest PREVIOUS = new RollbackRequest(null, null);
}
