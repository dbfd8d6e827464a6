package io.sluice.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.api.Problem;
import io.sluice.job.Namespaces;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
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
  @Produces({MediaType.APPLICATION_JSON, YAML})
  @Operation(
      operationId = "getJobManifests",
      description =
          "Renders the Kubernetes objects the reconciler would apply now, scale, suspension and open runs included, or those of another revision with today's scale. Nothing is applied.",
      summary =
          "Render the Kubernetes objects the reconciler would apply now (or those of another"
              + " revision, with today's scale): YAML by default, a JSON array with Accept:"
              + " application/json")
  @APIResponse(
      responseCode = "200",
      description = "The objects in apply order: multi-document YAML, or a JSON array",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema =
                @Schema(
                    type = SchemaType.ARRAY,
                    implementation = KubernetesObject.class,
                    description = "Kubernetes objects as the API server takes them")),
        @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING))
      })
  @APIResponse(
      responseCode = "404",
      description = "No such job or revision",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response manifests(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "Revision to render (default: the current one)")
          @QueryParam("revision")
          String revision,
      @Context HttpHeaders headers) {
    Namespaces.check(namespace);
    List<HasMetadata> objects =
        manifests.render(
            namespace, name, io.sluice.api.Params.optionalPositive("revision", revision));
    if (wantsJson(headers)) {
      return Response.ok(Serialization.asJson(objects) + "\n", MediaType.APPLICATION_JSON).build();
    }
    return Response.ok(
            objects.stream().map(Serialization::asYaml).collect(Collectors.joining()), YAML)
        .build();
  }

  /**
   * JSON when the caller lists it before YAML (by quality, then order); YAML otherwise, and for
   * {@code *}{@code /*} (curl).
   */
  private static boolean wantsJson(HttpHeaders headers) {
    for (MediaType type : headers.getAcceptableMediaTypes()) {
      if (type.isWildcardType() || type.toString().startsWith(YAML)) {
        return false;
      }
      if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return true;
      }
    }
    return false;
  }

  /** A Kubernetes object: apiVersion, kind, metadata and whatever its kind carries. */
  @Schema(name = "KubernetesObject", additionalProperties = Schema.True.class)
  public record KubernetesObject(
      @Schema(example = "apps/v1") String apiVersion,
      @Schema(example = "Deployment") String kind,
      @Schema(description = "name, namespace, labels, annotations, ...") Object metadata) {}
}
