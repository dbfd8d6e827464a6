package io.sluice.sandbox;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A Secret of the simulated cluster; its values are never answered. */
@Schema(name = "SandboxSecret")
public record SandboxSecretResponse(
    @Schema(example = "data") String namespace,
    @Schema(example = "warehouse-credentials") String name,
    @Schema(description = "Its keys (values are not shown)") List<String> keys) {}
