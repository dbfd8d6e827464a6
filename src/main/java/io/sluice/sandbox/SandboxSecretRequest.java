package io.sluice.sandbox;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A Secret for the simulated cluster: its entries as plain text, as kubectl's stringData. */
@Schema(name = "SandboxSecretRequest")
public record SandboxSecretRequest(
    @Schema(
            description = "Entries of the Secret, as plain text",
            example = "{\"POSTGRES_PASSWORD\": \"change-me\"}")
        @NotNull
        @Size(max = 64)
        Map<String, @NotNull @Size(max = 65536) String> stringData) {}
