package io.sluice.security;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A token just created: the only response that ever carries its secret. */
@Schema(name = "IssuedToken")
public record IssuedToken(
    @Schema(
            description = "The bearer token; shown once, store it now",
            example = "sluice_3q2-7wX...")
        String token,
    @JsonUnwrapped TokenResponse details) {}
