package io.sluice.job;

import static io.sluice.api.ProblemResponses.*;

import io.sluice.api.ETags;
import io.sluice.api.PageRequest;
import io.sluice.api.Problem;
import io.sluice.audit.EventList;
import io.sluice.config.SluiceConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Job API: create, read, list, replace and delete jobs, and read their history. */
@Path("/api/v1")
@Tag(name = "Jobs", description = "Job definitions, their revisions and audit events")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.VIEWER_ROLE)
public class JobResource {
  /** Where the lists' watches stand; read before each list. */
  @jakarta.inject.Inject io.sluice.watch.WatchHub watch;

  private final JobService service;
  private final SluiceConfig config;
  private final io.sluice.api.Idempotency idempotency;
  private final io.sluice.security.Caller caller;

  public JobResource(
      JobService service,
      SluiceConfig config,
      io.sluice.api.Idempotency idempotency,
      io.sluice.security.Caller caller) {
    this.service = service;
    this.config = config;
    this.idempotency = idempotency;
    this.caller = caller;
  }

  @POST
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/namespaces/{namespace}/jobs")
  @Consumes({
    MediaType.APPLICATION_JSON,
    io.sluice.api.YamlBodyReader.YAML,
    io.sluice.api.YamlBodyReader.X_YAML,
    io.sluice.api.YamlBodyReader.TEXT_YAML
  })
  @Operation(
      operationId = "createJob",
      description =
          "Stores a job and its first revision (JSON or YAML body) and answers at once with phase PENDING; the reconciler applies it to the cluster. The namespace's policy and the restricted Pod Security Standard are checked first. Retried requests with the same Idempotency-Key replay the first answer.",
      summary = "Create a job (revision 1)")
  @APIResponse(
      responseCode = "201",
      description = "Created; Location points at the job",
      headers = {
        @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
        @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING))
      },
      content = @Content(schema = @Schema(implementation = JobResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = BAD_REQUEST,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "A live job with this name exists",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "413",
      description = "The body is larger than the limit",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "415",
      description = UNSUPPORTED,
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
  @APIResponse(
      responseCode = "503",
      description = UNAVAILABLE,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response create(
      @PathParam("namespace") String namespace,
      @Parameter(description = "Makes a retried create safe: the first answer is replayed")
          @HeaderParam(io.sluice.api.Idempotency.HEADER)
          String idempotencyKey,
      @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(
              content = {
                @Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreateJobRequest.class),
                    examples =
                        @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(
                            name = "example",
                            value = io.sluice.api.Examples.CREATE_JOB)),
                @Content(
                    mediaType = io.sluice.api.YamlBodyReader.YAML,
                    schema = @Schema(implementation = CreateJobRequest.class)),
                @Content(
                    mediaType = io.sluice.api.YamlBodyReader.X_YAML,
                    schema = @Schema(implementation = CreateJobRequest.class)),
                @Content(
                    mediaType = io.sluice.api.YamlBodyReader.TEXT_YAML,
                    schema = @Schema(implementation = CreateJobRequest.class))
              })
          CreateJobRequest request,
      @Context UriInfo uri) {
    Namespaces.check(namespace);
    return idempotency.execute(
        idempotencyKey,
        "POST " + uri.getPath(),
        request,
        () -> {
          JobResponse job = service.create(namespace, request);
          URI location =
              uri.getBaseUriBuilder()
                  .path("api/v1/namespaces/{ns}/jobs/{name}")
                  .build(namespace, job.name());
          return Response.created(location).tag(ETags.of(job.version())).entity(job).build();
        });
  }

  @GET
  @Path("/namespaces/{namespace}/jobs")
  @Operation(
      operationId = "listJobs",
      description =
          "Jobs of one namespace, in keyset pages, filtered by type, workload, phase or label selector.",
      summary = "List the jobs of a namespace, by name")
  @APIResponse(
      responseCode = "200",
      description = "One page of jobs",
      content = @Content(schema = @Schema(implementation = JobList.class)))
  @APIResponse(
      responseCode = "400",
      description = BAD_REQUEST,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public JobList list(
      @PathParam("namespace") String namespace,
      @Parameter(description = "ingestion, processing or storage") @QueryParam("type") String type,
      @Parameter(description = "batch, scheduled, service, stateful, spark or flink")
          @QueryParam("workload")
          String workload,
      @Parameter(description = "Job phase, e.g. READY") @QueryParam("phase") String phase,
      @Parameter(
              description = "Kubernetes label selector over spec.labels, e.g. team=data,tier!=gold")
          @QueryParam("labelSelector")
          String labelSelector,
      @Parameter(description = "Page size (default 50, at most 500)") @QueryParam("limit")
          String limit,
      @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    Namespaces.check(namespace);
    String resourceVersion = watch.resourceVersion();
    return service
        .list(
            JobFilter.of(namespace, type, workload, phase, labelSelector),
            PageRequest.of(limit, cursor, config.paging()))
        .at(resourceVersion);
  }

  @GET
  @Path("/jobs")
  @Operation(
      operationId = "listAllJobs",
      description =
          "Jobs of every namespace the token grants, in keyset pages, filtered by type, workload, phase or label selector.",
      summary = "List jobs across all namespaces, by namespace and name")
  @APIResponse(
      responseCode = "200",
      description = "One page of jobs",
      content = @Content(schema = @Schema(implementation = JobList.class)))
  @APIResponse(
      responseCode = "400",
      description = BAD_REQUEST,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public JobList listAll(
      @Parameter(description = "ingestion, processing or storage") @QueryParam("type") String type,
      @Parameter(description = "batch, scheduled, service, stateful, spark or flink")
          @QueryParam("workload")
          String workload,
      @Parameter(description = "Job phase, e.g. READY") @QueryParam("phase") String phase,
      @Parameter(description = "Kubernetes label selector over spec.labels")
          @QueryParam("labelSelector")
          String labelSelector,
      @Parameter(description = "Page size (default 50, at most 500)") @QueryParam("limit")
          String limit,
      @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    String resourceVersion = watch.resourceVersion();
    return service
        .list(
            JobFilter.of(null, type, workload, phase, labelSelector)
                .within(caller.visibleNamespaces()),
            PageRequest.of(limit, cursor, config.paging()))
        .at(resourceVersion);
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}")
  @Operation(
      operationId = "getJob",
      description =
          "The job: its current spec and revision, status as observed on the cluster, scale state. Answers 304 when If-None-Match names the current version.",
      summary = "Get a job")
  @APIResponse(
      responseCode = "200",
      description = "The job; ETag is its version",
      headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = JobResponse.class)))
  @APIResponse(
      responseCode = "304",
      description = "If-None-Match names the current version; nothing is sent but the ETag",
      headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response get(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @HeaderParam("If-None-Match") String ifNoneMatch) {
    Namespaces.check(namespace);
    JobResponse job = service.get(namespace, name);
    if (ifNoneMatch != null && ETags.matchesWeakly(ifNoneMatch, job.version())) {
      return Response.notModified(ETags.of(job.version())).build();
    }
    return Response.ok(job).tag(ETags.of(job.version())).build();
  }

  @PUT
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/namespaces/{namespace}/jobs/{name}")
  @Consumes({
    MediaType.APPLICATION_JSON,
    io.sluice.api.YamlBodyReader.YAML,
    io.sluice.api.YamlBodyReader.X_YAML,
    io.sluice.api.YamlBodyReader.TEXT_YAML
  })
  @Operation(
      operationId = "replaceJob",
      description =
          "Replaces the job's spec. A spec that means the same as the current one writes no revision; any other writes a new one, which the reconciler rolls out. If-Match makes the change conditional on the version read.",
      summary = "Replace a job's spec (a new revision unless nothing changed)")
  @APIResponse(
      responseCode = "200",
      description = "The job after the update",
      headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = JobResponse.class)))
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
      responseCode = "412",
      description = PRECONDITION,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "415",
      description = UNSUPPORTED,
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
  @APIResponse(
      responseCode = "503",
      description = UNAVAILABLE,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response replace(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the version this change is based on")
          @HeaderParam("If-Match")
          String ifMatch,
      @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(
              content = {
                @Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UpdateJobRequest.class),
                    examples =
                        @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(
                            name = "example",
                            value = io.sluice.api.Examples.UPDATE_JOB)),
                @Content(
                    mediaType = io.sluice.api.YamlBodyReader.YAML,
                    schema = @Schema(implementation = UpdateJobRequest.class)),
                @Content(
                    mediaType = io.sluice.api.YamlBodyReader.X_YAML,
                    schema = @Schema(implementation = UpdateJobRequest.class)),
                @Content(
                    mediaType = io.sluice.api.YamlBodyReader.TEXT_YAML,
                    schema = @Schema(implementation = UpdateJobRequest.class))
              })
          UpdateJobRequest request) {
    Namespaces.check(namespace);
    JobResponse job = service.update(namespace, name, ifMatch, request);
    return Response.ok(job).tag(ETags.of(job.version())).build();
  }

  @DELETE
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/namespaces/{namespace}/jobs/{name}")
  @Operation(
      operationId = "deleteJob",
      description =
          "Marks the job deleted; its Kubernetes objects are removed in the background (volumes only with purgeVolumes=true), its unfinished runs end as CANCELLED, and its history stays.",
      summary = "Delete a job: its Kubernetes objects are removed, its history is kept")
  @APIResponse(
      responseCode = "202",
      description = "Deletion accepted; the cluster is cleaned up asynchronously",
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
  @APIResponse(
      responseCode = "503",
      description = UNAVAILABLE,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response delete(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "ETag of the version being deleted") @HeaderParam("If-Match")
          String ifMatch,
      @Parameter(description = "Also delete the job's PersistentVolumeClaims")
          @QueryParam("purgeVolumes")
          @DefaultValue("false")
          String purgeVolumes) {
    Namespaces.check(namespace);
    JobResponse job =
        service.delete(
            namespace, name, ifMatch, io.sluice.api.Params.bool("purgeVolumes", purgeVolumes));
    return Response.accepted(job).build();
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/revisions")
  @Operation(
      operationId = "listRevisions",
      description = "The job's revisions, newest first, in keyset pages.",
      summary = "List a job's revisions, newest first")
  @APIResponse(
      responseCode = "200",
      description = "One page of revisions",
      content = @Content(schema = @Schema(implementation = RevisionList.class)))
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public RevisionList revisions(
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
  @Path("/namespaces/{namespace}/jobs/{name}/revisions/{revision}")
  @Operation(
      operationId = "getRevision",
      description = "One immutable revision of a job's spec, with who made it and why.",
      summary = "Get one revision of a job")
  @APIResponse(
      responseCode = "200",
      description = "The revision",
      content = @Content(schema = @Schema(implementation = RevisionResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job or revision",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public RevisionResponse revision(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("revision") String revision) {
    Namespaces.check(namespace);
    return service.revision(namespace, name, io.sluice.api.Params.positive("revision", revision));
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/events")
  @Operation(
      operationId = "listJobEvents",
      description = "The job's audit trail, newest first: who did what, when and how it ended.",
      summary = "List a job's audit events, newest first")
  @APIResponse(
      responseCode = "200",
      description = "One page of events",
      content = @Content(schema = @Schema(implementation = EventList.class)))
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
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
}
