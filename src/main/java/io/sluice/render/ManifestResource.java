package io.sluice.render;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.api.Problem;
import io.sluice.job.JobService;
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

/** A dry run: the Kubernetes objects a revision renders to, as YAML, for review and diff. */
@Path("/api/v1/namespaces/{namespace}/jobs/{name}/manifests")
@Tag(name = "Jobs")
@jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.VIEWER_ROLE)
public class ManifestResource {
  public static final String YAML = "application/yaml";

  private final JobService jobs;

  public ManifestResource(JobService jobs) {
    this.jobs = jobs;
  }

  @GET
  @Produces(YAML)
  @Operation(
      operationId = "getJobManifests",
      summary = "Render a revision's Kubernetes objects (what would be applied), as YAML")
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
    RenderInput input =
        jobs.renderInput(
            namespace, name, io.sluice.api.Params.optionalPositive("revision", revision));
    return Renderer.render(input).stream()
        .map(d -> Serialization.asYaml(d.resource()))
        .collect(Collectors.joining());
  }
}
