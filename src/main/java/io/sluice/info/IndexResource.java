package io.sluice.info;

import io.quarkus.runtime.LaunchMode;
import io.sluice.api.ContractRoute;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where a person lands first, {@code /} and {@code /api/v1}: what this is, how to authenticate, and
 * links to the contract, the API's entry points and (in dev mode) Swagger UI. Open, like the
 * contract itself: it says nothing about any namespace.
 */
@Path(IndexResource.API_ROOT)
@Tag(name = "Info", description = "About this Sluice")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class IndexResource {
  /** The API's root; the only path under {@code /api} that needs no token. */
  public static final String API_ROOT = "/api/v1";

  private final String version;

  public IndexResource(
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.version = version;
  }

  /** What this is and where to go from here. */
  @Schema(name = "Index")
  public record Index(
      @Schema(example = "Sluice API") String name,
      @Schema(example = "0.1.0") String version,
      String description,
      @Schema(description = "How to authenticate every other /api call") String authentication,
      @Schema(
              description = "Where to go next, by name",
              example = "{\"openapi\": \"" + ContractRoute.PATH + "\", \"jobs\": \"/api/v1/jobs\"}")
          Map<String, String> links) {}

  @GET
  @Operation(
      operationId = "getApiIndex",
      description =
          "The API's entry points, how to authenticate and where the contract is. Needs no token.",
      summary = "The API's entry points and its contract")
  @APIResponse(
      responseCode = "200",
      description = "An index of the API",
      content = @Content(schema = @Schema(implementation = Index.class)))
  @APIResponse(
      responseCode = "406",
      description = "The Accept header excludes application/json",
      content =
          @Content(
              mediaType = io.sluice.api.Problem.MEDIA_TYPE,
              schema = @Schema(implementation = io.sluice.api.Problem.class)))
  public Index api() {
    return index();
  }

  Index index() {
    Map<String, String> links = new LinkedHashMap<>();
    links.put("openapi", ContractRoute.PATH);
    if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
      links.put("swaggerUi", "/q/swagger-ui");
    }
    links.put("info", API_ROOT + "/info");
    links.put("jobs", API_ROOT + "/jobs");
    links.put("namespaceJobs", API_ROOT + "/namespaces/{namespace}/jobs");
    links.put("tokens", API_ROOT + "/tokens");
    links.put("health", "/q/health");
    return new Index(
        "Sluice API",
        version,
        "Data-pipeline control plane for Kubernetes: ingestion, processing and storage jobs."
            + " Errors are RFC 9457 problem documents.",
        "Every other /api call needs Authorization: Bearer <token>: an API token (sluice_...;"
            + " in the sandbox it is printed at start-up and kept in .sluice/sandbox/token) or a"
            + " JWT from the configured issuer.",
        links);
  }
}
