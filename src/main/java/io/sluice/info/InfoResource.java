package io.sluice.info;

import io.sluice.sandbox.SandboxRuntime;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What this Sluice is and where it runs: version and mode (sandbox or cluster). */
@Path("/api/v1/info")
@Tag(name = "Info", description = "About this Sluice")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.VIEWER_ROLE)
public class InfoResource {
  private final SandboxRuntime sandbox;
  private final String version;

  public InfoResource(
      SandboxRuntime sandbox,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.sandbox = sandbox;
    this.version = version;
  }

  /** Version and mode of this Sluice. */
  @Schema(name = "Info")
  public record Info(
      @Schema(example = "0.1.0") String version,
      @Schema(enumeration = {"sandbox", "cluster"}) String mode,
      @Schema(description = "True when the Kubernetes API is Sluice's simulated cluster")
          boolean simulatedCluster,
      @Schema(description = "True when PostgreSQL is the embedded one") boolean embeddedDatabase,
      @Schema(description = "The Kubernetes API server URL") String kubernetes) {}

  @GET
  @Operation(
      operationId = "getInfo",
      description =
          "This Sluice's version and whether it runs in sandbox mode (embedded PostgreSQL, simulated cluster) or against a real cluster.",
      summary = "Version and mode (sandbox or cluster)")
  @APIResponse(
      responseCode = "200",
      description = "About this Sluice",
      content = @Content(schema = @Schema(implementation = Info.class)))
  @APIResponse(responseCode = "406", description = "The Accept header excludes application/json")
  public Info info() {
    SandboxRuntime.Mode mode = sandbox.mode();
    return new Info(
        version, mode.name(), mode.simulatedCluster(), mode.embeddedDatabase(), mode.kubernetes());
  }
}
