package io.sluice.pipeline;

import io.sluice.api.ETags;
import io.sluice.api.Idempotency;
import io.sluice.api.PageRequest;
import io.sluice.api.Params;
import io.sluice.api.YamlBodyReader;
import io.sluice.audit.EventList;
import io.sluice.config.SluiceConfig;
import io.sluice.job.Namespaces;
import io.sluice.rollout.DiffResponse;
import io.sluice.rollout.RollbackRequest;
import io.sluice.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Pipeline API: create, read, list, replace and delete pipelines, their revisions, rollback,
 * schedule suspension and audit events. Common errors (400, 404, 406, 413, 415, 503) are declared
 * for every operation by {@link io.sluice.api.CommonResponses}.
 */
@Path("/api/v1/namespaces/{namespace}/pipelines")
@Tag(name = "Pipelines", description = "DAGs of job steps run, retried and rolled back as one unit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ROLE)
public class PipelineResource {
  private static final String ETAG = "ETag";
  private final PipelineService service;
  private final SluiceConfig config;
  private final Idempotency idempotency;

  public PipelineResource(PipelineService service, SluiceConfig config, Idempotency idempotency) {
    this.service = service;
    this.config = config;
    this.idempotency = idempotency;
  }

  @POST
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Consumes({
    MediaType.APPLICATION_JSON,
    YamlBodyReader.YAML,
    YamlBodyReader.X_YAML,
    YamlBodyReader.TEXT_YAML
  })
  @Operation(
      operationId = "createPipeline",
      summary = "Create a pipeline (revision 1)",
      description =
          "Stores a pipeline and its first revision (JSON or YAML body). Every step must name a job of the namespace: a batch, scheduled or spark job to run, or a service, stateful or flink job to await. Cycles, unknown steps and unknown parameters are refused with 422 naming the field. Retried requests with the same Idempotency-Key replay the first answer.")
  @APIResponse(
      responseCode = "201",
      description = "Created; Location points at the pipeline",
      headers = {
        @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
        @Header(name = ETAG, schema = @Schema(type = SchemaType.STRING))
      },
      content = @Content(schema = @Schema(implementation = PipelineResponse.class)))
  @APIResponse(
      responseCode = "409",
      description = "A live pipeline with this name exists, or the Idempotency-Key is in use")
  @APIResponse(responseCode = "422", description = "Invalid pipeline; see errors[]")
  public Response create(
      @PathParam("namespace") String namespace,
      @Parameter(description = "Makes a retried create safe: the first answer is replayed")
          @HeaderParam(Idempotency.HEADER)
          String idempotencyKey,
      @RequestBody(
              content = {
                @Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatePipelineRequest.class)),
                @Content(
                    mediaType = YamlBodyReader.YAML,
                    schema = @Schema(implementation = CreatePipelineRequest.class)),
                @Content(
                    mediaType = YamlBodyReader.X_YAML,
                    schema = @Schema(implementation = CreatePipelineRequest.class)),
                @Content(
                    mediaType = YamlBodyReader.TEXT_YAML,
                    schema = @Schema(implementation = CreatePipelineRequest.class))
              })
          CreatePipelineRequest request,
      @Context UriInfo uri) {
    Namespaces.check(namespace);
    return idempotency.execute(
        idempotencyKey,
        "POST " + uri.getPath(),
        request,
        () -> {
          PipelineResponse p = service.create(namespace, request);
          return Response.created(uri.getAbsolutePathBuilder().path(p.name()).build())
              .tag(ETags.of(p.version()))
              .entity(p)
              .build();
        });
  }

  @GET
  @Operation(
      operationId = "listPipelines",
      summary = "List the pipelines of a namespace, by name",
      description = "Pipelines of one namespace in keyset pages, filtered by label selector.")
  @APIResponse(
      responseCode = "200",
      description = "One page of pipelines",
      content = @Content(schema = @Schema(implementation = PipelineList.class)))
  public PipelineList list(
      @PathParam("namespace") String namespace,
      @Parameter(description = "Kubernetes label selector over spec.labels, e.g. team=data")
          @QueryParam("labelSelector")
          String labelSelector,
      @Parameter(description = "Page size (default 50, at most 500)") @QueryParam("limit")
          String limit,
      @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    Namespaces.check(namespace);
    return service.list(namespace, labelSelector, PageRequest.of(limit, cursor, config.paging()));
  }

  @GET
  @Path("/{name}")
  @Operation(
      operationId = "getPipeline",
      summary = "Get a pipeline",
      description =
          "The pipeline's current spec, its schedule state and its newest run. If-None-Match with the ETag answers 304.")
  @APIResponse(
      responseCode = "200",
      description = "The pipeline; ETag is its version",
      headers = @Header(name = ETAG, schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = PipelineResponse.class)))
  @APIResponse(
      responseCode = "304",
      description = "If-None-Match names the current version; nothing is sent but the ETag",
      headers = @Header(name = ETAG, schema = @Schema(type = SchemaType.STRING)))
  public Response get(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @HeaderParam("If-None-Match") String ifNoneMatch) {
    Namespaces.check(namespace);
    PipelineResponse p = service.get(namespace, name);
    if (ifNoneMatch != null && ETags.matchesWeakly(ifNoneMatch, p.version())) {
      return Response.notModified(ETags.of(p.version())).build();
    }
    return tagged(p);
  }

  @PUT
  @Path("/{name}")
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Consumes({
    MediaType.APPLICATION_JSON,
    YamlBodyReader.YAML,
    YamlBodyReader.X_YAML,
    YamlBodyReader.TEXT_YAML
  })
  @Operation(
      operationId = "replacePipeline",
      summary = "Replace a pipeline's spec (a new revision unless nothing changed)",
      description =
          "Runs in flight keep the revision they pinned; new runs take the new one. If-Match makes the change conditional on the version read.")
  @APIResponse(
      responseCode = "200",
      description = "The pipeline after the change",
      headers = @Header(name = ETAG, schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = PipelineResponse.class)))
  @APIResponse(responseCode = "422", description = "Invalid pipeline; see errors[]")
  public Response replace(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the version this change is based on")
          @HeaderParam("If-Match")
          String ifMatch,
      @RequestBody(
              content = {
                @Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UpdatePipelineRequest.class)),
                @Content(
                    mediaType = YamlBodyReader.YAML,
                    schema = @Schema(implementation = UpdatePipelineRequest.class)),
                @Content(
                    mediaType = YamlBodyReader.X_YAML,
                    schema = @Schema(implementation = UpdatePipelineRequest.class)),
                @Content(
                    mediaType = YamlBodyReader.TEXT_YAML,
                    schema = @Schema(implementation = UpdatePipelineRequest.class))
              })
          UpdatePipelineRequest request) {
    Namespaces.check(namespace);
    return tagged(service.update(namespace, name, ifMatch, request));
  }

  @DELETE
  @Path("/{name}")
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Operation(
      operationId = "deletePipeline",
      summary = "Delete a pipeline: its unfinished runs are cancelled, its history is kept",
      description =
          "The jobs the pipeline names are not touched; their runs that the pipeline started and that are unfinished end CANCELLED.")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Response delete(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the version being deleted") @HeaderParam("If-Match")
          String ifMatch) {
    Namespaces.check(namespace);
    service.delete(namespace, name, ifMatch);
    return Response.noContent().build();
  }

  @GET
  @Path("/{name}/revisions")
  @Operation(
      operationId = "listPipelineRevisions",
      summary = "List a pipeline's revisions, newest first",
      description =
          "Every spec the pipeline has had, newest first, in keyset pages; each run pins one of them.")
  @APIResponse(
      responseCode = "200",
      description = "One page of revisions",
      content = @Content(schema = @Schema(implementation = PipelineRevisionList.class)))
  public PipelineRevisionList revisions(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "Page size (default 50, at most 500)") @QueryParam("limit")
          String limit,
      @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    Namespaces.check(namespace);
    return service.revisions(namespace, name, PageRequest.of(limit, cursor, config.paging()));
  }

  @GET
  @Path("/{name}/revisions/{revision}")
  @Operation(
      operationId = "getPipelineRevision",
      summary = "Get one revision of a pipeline",
      description = "One immutable revision: its spec, author, time and cause.")
  @APIResponse(
      responseCode = "200",
      description = "The revision",
      content = @Content(schema = @Schema(implementation = PipelineRevisionResponse.class)))
  public PipelineRevisionResponse revision(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("revision") String revision) {
    Namespaces.check(namespace);
    return service.revision(namespace, name, Params.positive("revision", revision));
  }

  @GET
  @Path("/{name}/revisions/{from}/diff/{to}")
  @Operation(
      operationId = "diffPipelineRevisions",
      summary = "What changed in a pipeline's spec from one revision to another",
      description = "Lists the fields that differ between two revisions of the pipeline's spec.")
  @APIResponse(
      responseCode = "200",
      description = "Changed fields",
      content = @Content(schema = @Schema(implementation = DiffResponse.class)))
  public DiffResponse diff(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("from") String from,
      @PathParam("to") String to) {
    Namespaces.check(namespace);
    return service.diff(namespace, name, Params.positive("from", from), Params.positive("to", to));
  }

  @POST
  @Path("/{name}/rollback")
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "rollbackPipeline",
      summary = "Roll back: a new revision copying an older one's spec (default: the previous)",
      description =
          "The older spec is checked again against the namespace's jobs as they are now. Runs in flight keep their pinned revision.")
  @APIResponse(
      responseCode = "200",
      description = "The pipeline at its new revision",
      headers = @Header(name = ETAG, schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = PipelineResponse.class)))
  @APIResponse(
      responseCode = "409",
      description = "Nothing to roll back to (one revision, or the current one)")
  @APIResponse(
      responseCode = "422",
      description = "The older spec no longer fits the namespace's jobs; see errors[]")
  public Response rollback(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the pipeline this change is based on")
          @HeaderParam("If-Match")
          String ifMatch,
      @RequestBody(
              required = false,
              description =
                  "Optional: without a body the pipeline rolls back to the previous revision")
          RollbackRequest request) {
    Namespaces.check(namespace);
    if (request != null && request.toRevision() != null && request.toRevision() < 1) {
      throw io.sluice.api.SluiceException.invalid(
          "toRevision", "must be a positive revision number");
    }
    return tagged(service.rollback(namespace, name, ifMatch, request));
  }

  @POST
  @Path("/{name}/suspend")
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Operation(
      operationId = "suspendPipeline",
      summary = "Suspend the pipeline's schedule (manual runs still start)",
      description =
          "The schedule starts no runs until resumed; runs in flight go on, and manual runs still start.")
  @APIResponse(
      responseCode = "200",
      description = "The pipeline; ETag is its version",
      headers = @Header(name = ETAG, schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = PipelineResponse.class)))
  public Response suspend(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the pipeline this change is based on")
          @HeaderParam("If-Match")
          String ifMatch) {
    Namespaces.check(namespace);
    return tagged(service.suspend(namespace, name, ifMatch, true));
  }

  @POST
  @Path("/{name}/resume")
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Operation(
      operationId = "resumePipeline",
      summary = "Resume the pipeline's schedule from now (missed firings are not made up)",
      description =
          "The next firing is computed from now; firings missed while suspended are not made up.")
  @APIResponse(
      responseCode = "200",
      description = "The pipeline; ETag is its version",
      headers = @Header(name = ETAG, schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = PipelineResponse.class)))
  public Response resume(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the pipeline this change is based on")
          @HeaderParam("If-Match")
          String ifMatch) {
    Namespaces.check(namespace);
    return tagged(service.suspend(namespace, name, ifMatch, false));
  }

  @GET
  @Path("/{name}/events")
  @Operation(
      operationId = "listPipelineEvents",
      summary = "The pipeline's audit events, newest first",
      description =
          "Changes to the pipeline and every transition of its runs and their steps (pipeline.run.*, pipeline.step.*).")
  @APIResponse(
      responseCode = "200",
      description = "One page of events",
      content = @Content(schema = @Schema(implementation = EventList.class)))
  public EventList events(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "Page size (default 50, at most 500)") @QueryParam("limit")
          String limit,
      @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    Namespaces.check(namespace);
    return service.events(namespace, name, PageRequest.of(limit, cursor, config.paging()));
  }

  private static Response tagged(PipelineResponse p) {
    return Response.ok(p).tag(ETags.of(p.version())).build();
  }
}
