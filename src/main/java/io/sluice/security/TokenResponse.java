package io.sluice.security;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API token as listed: everything but the secret, which Sluice does not keep. */
@Schema(name = "Token")
public record TokenResponse(
    UUID id,
    @Schema(example = "airflow") String name,
    @Schema(example = "operator") String role,
    @Schema(example = "[\"analytics\"]") List<String> namespaces,
    Instant createdAt,
    @Schema(example = "token:bootstrap") String createdBy,
    Instant expiresAt) {}
