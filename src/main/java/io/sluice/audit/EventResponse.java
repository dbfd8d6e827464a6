package io.sluice.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One entry of a job's audit trail: who did what, when, and how it ended. */
@Schema(name = "Event")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventResponse(
    @Schema(example = "1051") long id,
    OffsetDateTime at,
    @Schema(
            description =
                "Who acted, by immutable identity: token:<id>, config:<name>,"
                    + " jwt:<issuer>#<subject>, or sluice",
            example = "token:0192f1c3-7a8e-7c41-9d2b-6f5e4a3b2c1d")
        String actor,
    @Schema(
            description = "The actor's name, for people; not unique over time",
            example = "token:airflow")
        String actorName,
    @Schema(example = "job.updated") String action,
    @Schema(
            example = "success",
            enumeration = {"success", "failure", "rejected"})
        String outcome,
    @Schema(example = "2") Integer revision,
    @Schema(example = "revision 2: bump image to 1.5.0") String message) {}
