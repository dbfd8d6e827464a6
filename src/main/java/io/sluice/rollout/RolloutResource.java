package io.sluice.rollout;

import static io.sluice.api.ProblemResponses.*;

import io.sluice.api.ETags;
import io.sluice.api.Problem;
import io.sluice.api.SluiceException;
import io.sluice.job.JobResponse;
import io.sluice.job.Namespaces;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Scale, suspend, resume, roll back, and compare revisions: each in one call. */
@Path("/api/v1")
@Tag(name = "Rollout", description = "Capacity and undo")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.VIEWER_ROLE)
public class RolloutResource {
  private final RolloutService service;
  private final io.sluice.api.Idempotency idempotency;

  public RolloutResource(RolloutService service, io.sluice.api.Idempotency idempotency) {
    this.service = service;
    this.idempotency = idempotency;
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/scale")
  @Operation(
      operationId = "getScale",
      description =
          "The replicas or parallelism in effect and where the count comes from (spec, scale, autoscaler, suspended).",
      summary = "Get a job's replicas (or parallelism) and where they come from")
  @APIResponse(
      responseCode = "200",
      description = "The scale",
      content = @Content(schema = @Schema(implementation = ScaleResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public ScaleResponse scale(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    Namespaces.check(namespace);
    return service.scale(namespace, name);
  }

  @PUT
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/namespaces/{namespace}/jobs/{name}/scale")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "setScale",
      description =
          "Sets replicas or parallelism without writing a revision; the count survives later spec updates unless they change it. Answers the job's new ETag.",
      summary =
          "Set replicas (service, stateful) or parallelism (batch, scheduled); no new revision")
  @APIResponse(
      responseCode = "200",
      description = "The new scale; ETag is the job's new version",
      headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = ScaleResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = BAD_REQUEST,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "The job is autoscaled",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "412",
      description = PRECONDITION,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "422",
      description = "Replicas out of bounds",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response setScale(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the job this change is based on") @HeaderParam("If-Match")
          String ifMatch,
      @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(
              content =
                  @Content(
                      examples =
                          @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(
                              name = "example",
                              value = io.sluice.api.Examples.SCALE)))
          ScaleRequest request) {
    Namespaces.check(namespace);
    RolloutService.Scaled scaled = service.setScale(namespace, name, ifMatch, request);
    return Response.ok(scaled.scale()).tag(ETags.of(scaled.version())).build();
  }

  @POST
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/namespaces/{namespace}/jobs/{name}/suspend")
  @Operation(
      operationId = "suspendJob",
      description =
          "Suspends a job: long-running workloads scale to zero, a schedule stops, a batch job's active runs pause.",
      summary =
          "Suspend: scale to zero (service, stateful), stop scheduling (scheduled), pause runs (batch)")
  @APIResponse(
      responseCode = "200",
      description = "The job; ETag is its version",
      headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = JobResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "412",
      description = PRECONDITION,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response suspend(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the job this change is based on") @HeaderParam("If-Match")
          String ifMatch) {
    Namespaces.check(namespace);
    return withTag(service.suspend(namespace, name, ifMatch));
  }

  @POST
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/namespaces/{namespace}/jobs/{name}/resume")
  @Operation(
      operationId = "resumeJob",
      description = "Resumes a suspended job at its previous count, schedule or runs.",
      summary = "Resume a suspended job at its previous count")
  @APIResponse(
      responseCode = "200",
      description = "The job; ETag is its version",
      headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = JobResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "412",
      description = PRECONDITION,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response resume(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the job this change is based on") @HeaderParam("If-Match")
          String ifMatch) {
    Namespaces.check(namespace);
    return withTag(service.resume(namespace, name, ifMatch));
  }

  @POST
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/namespaces/{namespace}/jobs/{name}/rollback")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "rollbackJob",
      description =
          "Writes a new revision that copies an older one (default: the one before the current) and rolls the workload back to it. The namespace's policy is checked again.",
      summary =
          "Roll back: a new revision copying an older one's spec (default: the previous revision)")
  @APIResponse(
      responseCode = "200",
      description = "The job at its new revision",
      headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = JobResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job or revision",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "Nothing to roll back to (one revision, or the current one)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "412",
      description = PRECONDITION,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "422",
      description = INVALID,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response rollback(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the job this change is based on") @HeaderParam("If-Match")
          String ifMatch,
      @Parameter(
              description =
                  "Makes a retried rollback safe: one new revision, the first answer replayed")
          @HeaderParam(io.sluice.api.Idempotency.HEADER)
          String idempotencyKey,
      @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(
              required = false,
              description =
                  "Optional: without a body the job rolls back to the revision before the current one",
              content =
                  @Content(
                      examples =
                          @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(
                              name = "example",
                              value = io.sluice.api.Examples.ROLLBACK)))
          RollbackRequest request,
      @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
    Namespaces.check(namespace);
    if (request != null && request.toRevision() != null && request.toRevision() < 1) {
      throw SluiceException.invalid("toRevision", "must be a positive revision number");
    }
    return idempotency.execute(
        idempotencyKey,
        "POST " + uri.getPath(),
        request,
        () -> withTag(service.rollback(namespace, name, ifMatch, request)));
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/revisions/{from}/diff/{to}")
  @Operation(
      operationId = "diffRevisions",
      description = "Lists the fields that differ between two revisions of a job's spec.",
      summary = "What changed in the spec from one revision to another")
  @APIResponse(
      responseCode = "200",
      description = "Changed fields",
      content = @Content(schema = @Schema(implementation = DiffResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = BAD_REQUEST,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job or revision",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public DiffResponse diff(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("from") String from,
      @PathParam("to") String to) {
    Namespaces.check(namespace);
    return service.diff(
        namespace,
        name,
        io.sluice.api.Params.positive("from", from),
        io.sluice.api.Params.positive("to", to));
  }

  private static Response withTag(JobResponse job) {
    return Response.ok(job).tag(ETags.of(job.version())).build();
  }
}
