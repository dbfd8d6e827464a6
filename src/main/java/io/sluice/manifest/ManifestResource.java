package io.sluice.manifest;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.api.Problem;
import io.sluice.job.Namespaces;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A dry run: the Kubernetes objects the reconciler would apply now (scale, suspension and open runs
 * included), or what another revision would apply, as YAML, for review and diff.
 */
@Path("/api/v1/namespaces/{namespace}/jobs/{name}/manifests")
@Tag(name = "Jobs")
@jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.VIEWER_ROLE)
public class ManifestResource {
  public static final String YAML = "application/yaml";

  private final Manifests manifests;

  public ManifestResource(Manifests manifests) {
    this.manifests = manifests;
  }

  @GET
  @Produces(YAML)
  @Operation(
      operationId = "getJobManifests",
      summary =
          "Render the Kubernetes objects the reconciler would apply now (or those of another"
              + " revision, with today's scale), as YAML")
  @APIResponse(
      responseCode = "200",
      description = "Multi-document YAML, one document per object, in apply order",
      content = @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(
      responseCode = "404",
      description = "No such job or revision",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public String manifests(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "Revision to render (default: the current one)")
          @QueryParam("revision")
          String revision) {
    Namespaces.check(namespace);
    return manifests
        .render(namespace, name, io.sluice.api.Params.optionalPositive("revision", revision))
        .stream()
        .map(Serialization::asYaml)
        .collect(Collectors.joining());
  }
}
