package io.sluice.security;

import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Asks for a new API token. */
@Schema(name = "CreateTokenRequest")
public record CreateTokenRequest(
    @Schema(
            description =
                "Unique for all time: a name that a configured, live or revoked token has or had"
                    + " is refused. Shown as token:<name> beside the token's id in audit events",
            example = "airflow",
            required = true)
        String name,
    @Schema(description = "viewer, operator or admin", example = "operator", required = true)
        String role,
    @Schema(
            description = "Namespaces the token may use; [\"*\"] for all",
            example = "[\"analytics\"]",
            required = true)
        List<String> namespaces,
    @Schema(description = "When the token stops working; never when absent")
        OffsetDateTime expiresAt) {}
