package io.sluice.security;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API token as listed: everything but the secret, which Sluice does not keep. */
@Schema(name = "Token")
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record TokenResponse(
    UUID id,
    @Schema(example = "airflow") String name,
    @Schema(example = "operator") String role,
    @Schema(example = "[\"analytics\"]") List<String> namespaces,
    Instant createdAt,
    @Schema(
            description =
                "Who created it, by immutable identity (token:<id>, config:<name> or"
                    + " jwt:<issuer>#<subject>)",
            example = "config:bootstrap")
        String createdBy,
    Instant expiresAt) {}
