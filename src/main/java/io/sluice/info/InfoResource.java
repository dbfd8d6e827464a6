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
  private final io.sluice.engine.Engines engines;

  public InfoResource(
      SandboxRuntime sandbox,
      io.sluice.engine.Engines engines,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.sandbox = sandbox;
    this.engines = engines;
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
      @Schema(description = "The Kubernetes API server URL") String kubernetes,
      @Schema(
              description =
                  "The engines spark and flink jobs run on, and whether the cluster offers them")
          java.util.List<Engine> engines) {}

  /** An engine and whether its operator's custom resource is served. */
  @Schema(name = "Engine")
  public record Engine(
      @Schema(
              description = "The workload that runs on it",
              enumeration = {"spark", "flink"})
          String workload,
      @Schema(example = "SparkApplication") String kind,
      @Schema(example = "sparkoperator.k8s.io/v1beta2") String apiVersion,
      @Schema(
              description = "The CustomResourceDefinition it needs",
              example = "sparkapplications.sparkoperator.k8s.io")
          String crd,
      @Schema(
              description =
                  "True when the cluster serves the custom resource (its operator is installed)")
          boolean available) {}

  @GET
  @Operation(
      operationId = "getInfo",
      description =
          "This Sluice's version, whether it runs in sandbox mode (embedded PostgreSQL, simulated cluster) or against a real cluster, and which engines (Spark and Flink operators) the cluster offers.",
      summary = "Version and mode (sandbox or cluster)")
  @APIResponse(
      responseCode = "200",
      description = "About this Sluice",
      content = @Content(schema = @Schema(implementation = Info.class)))
  @APIResponse(responseCode = "406", description = "The Accept header excludes application/json")
  public Info info() {
    SandboxRuntime.Mode mode = sandbox.mode();
    java.util.List<Engine> offered =
        engines.all().entrySet().stream()
            .map(
                e ->
                    new Engine(
                        e.getKey().value(),
                        e.getKey().kindName(),
                        e.getKey().apiVersion(),
                        e.getKey().crd(),
                        e.getValue()))
            .toList();
    return new Info(
        version,
        mode.name(),
        mode.simulatedCluster(),
        mode.embeddedDatabase(),
        mode.kubernetes(),
        offered);
  }
}
