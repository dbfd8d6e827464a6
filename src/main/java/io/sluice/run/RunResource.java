package io.sluice.run;

import static io.sluice.api.ProblemResponses.*;

import io.sluice.api.Idempotency;
import io.sluice.api.PageRequest;
import io.sluice.api.Params;
import io.sluice.api.Problem;
import io.sluice.config.SluiceConfig;
import io.sluice.job.Namespaces;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Runs of batch and scheduled jobs: start, list, read, cancel, and their logs. */
@Path("/api/v1/namespaces/{namespace}/jobs/{name}/runs")
@Tag(name = "Runs", description = "Executions of batch and scheduled jobs")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.VIEWER_ROLE)
public class RunResource {
  /** Where the lists' watches stand; read before each list. */
  @jakarta.inject.Inject io.sluice.watch.WatchHub watch;

  private final RunService service;
  private final RunLogs logs;
  private final io.sluice.security.Caller caller;
  private final SluiceConfig config;
  private final Idempotency idempotency;

  public RunResource(
      RunService service,
      RunLogs logs,
      SluiceConfig config,
      Idempotency idempotency,
      io.sluice.security.Caller caller) {
    this.caller = caller;
    this.service = service;
    this.logs = logs;
    this.config = config;
    this.idempotency = idempotency;
  }

  @POST
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createRun",
      description =
          "Starts a run of a batch, scheduled or spark job, optionally with its own args and env. The run pins the job's current revision. Retried requests with the same Idempotency-Key replay the first answer instead of starting another run.",
      summary = "Start a run of a batch, scheduled or spark job")
  @APIResponse(
      responseCode = "201",
      description = "Run accepted; its Kubernetes Job is created right after",
      headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = RunResponse.class)))
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
      description = "The job is a service, stateful or flink workload",
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
      @PathParam("name") String name,
      @Parameter(description = "Makes a retried submit safe: one run, the first answer replayed")
          @HeaderParam(Idempotency.HEADER)
          String idempotencyKey,
      @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(
              required = false,
              description = "Optional: without a body the run uses the spec as it is",
              content =
                  @Content(
                      examples =
                          @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(
                              name = "example",
                              value = io.sluice.api.Examples.CREATE_RUN)))
          CreateRunRequest request,
      @Context UriInfo uri) {
    Namespaces.check(namespace);
    return idempotency.execute(
        idempotencyKey,
        "POST " + uri.getPath(),
        request,
        () -> {
          RunResponse run = service.create(namespace, name, request);
          return Response.created(
                  uri.getRequestUriBuilder().path(Integer.toString(run.number())).build())
              .entity(run)
              .build();
        });
  }

  @GET
  @Operation(
      operationId = "listRuns",
      description = "The job's runs, newest first, in keyset pages, optionally by phase.",
      summary = "List a job's runs, newest first")
  @APIResponse(
      responseCode = "200",
      description = "One page of runs",
      content = @Content(schema = @Schema(implementation = RunList.class)))
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
  public RunList list(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "Only runs in this phase") @QueryParam("phase") String phase,
      @Parameter(description = "Page size (default 50, at most 500)") @QueryParam("limit")
          String limit,
      @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    Namespaces.check(namespace);
    String resourceVersion = watch.resourceVersion();
    return service
        .list(
            namespace,
            name,
            Params.optionalEnum("phase", phase, RunPhase.class),
            PageRequest.of(limit, cursor, config.paging()))
        .at(resourceVersion);
  }

  @GET
  @Path("/{run}")
  @Operation(
      operationId = "getRun",
      description = "One run: its phase, revision, start and end, attempts, reason and exit code.",
      summary = "Get one run")
  @APIResponse(
      responseCode = "200",
      description = "The run",
      content = @Content(schema = @Schema(implementation = RunResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job or run",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public RunResponse get(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String run) {
    Namespaces.check(namespace);
    return service.get(namespace, name, Params.positive("run", run));
  }

  @POST
  @jakarta.annotation.security.RolesAllowed(io.sluice.security.Role.OPERATOR_ROLE)
  @Path("/{run}/cancel")
  @Operation(
      operationId = "cancelRun",
      description =
          "Ends an unfinished run as CANCELLED at once and deletes its Kubernetes Job and pods. A finished run answers 409.",
      summary = "Cancel a run: its Kubernetes Job and pods are deleted")
  @APIResponse(
      responseCode = "200",
      description = "The run, now CANCELLED",
      content = @Content(schema = @Schema(implementation = RunResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job or run",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "The run already ended",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public RunResponse cancel(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String run) {
    Namespaces.check(namespace);
    return service.cancel(namespace, name, Params.positive("run", run));
  }

  @GET
  @Path("/{run}/logs")
  @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
  @Operation(
      operationId = "getRunLogs",
      description =
          "The logs of the run's newest pod, as text, while the pod exists; once the run has ended and its pods are gone (the Job's TTL, a lost node), the copy Sluice kept when it ended (the last sluice.logs.keep-bytes of each container, for sluice.logs.retention). The Sluice-Log-Source header says which. With follow=true the answer streams until the container ends, resuming if the API server drops the stream; followed streams are bounded per caller and per replica.",
      summary = "Read (or follow) the logs of a run's newest pod")
  @APIResponse(
      responseCode = "200",
      description = "Log text",
      headers =
          @Header(
              name = LOG_SOURCE,
              description = "live: read from the pod now; kept: the copy kept when the run ended",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"live", "kept"})),
      content =
          @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(
      responseCode = "404",
      description = "No such job or run, or the run's pods are gone and its logs were not kept",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "The run has no pod yet, or its container has no log yet (waiting to start: the detail"
              + " says why)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "The Kubernetes API is unavailable",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "429",
      description =
          "Too many followed log streams (per caller or on this replica); retry after Retry-After"
              + " seconds",
      headers =
          @org.eclipse.microprofile.openapi.annotations.headers.Header(
              name = "Retry-After",
              description = "Seconds to wait before retrying",
              schema =
                  @Schema(
                      type =
                          org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response logs(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String run,
      @jakarta.ws.rs.BeanParam LogParams params) {
    Namespaces.check(namespace);
    LogRequest request = LogRequest.of(params);
    RunEntity entity = service.find(namespace, name, Params.positive("run", run));
    RunLogs.Answer answer = logs.logs(entity, request, caller.name());
    return Response.ok(answer.body(), MediaType.TEXT_PLAIN)
        .header(LOG_SOURCE, answer.source().name())
        .build();
  }

  /** Says whether a log answer is the pod's own or the copy kept when its run ended. */
  public static final String LOG_SOURCE = "Sluice-Log-Source";
}
