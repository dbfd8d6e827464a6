package io.sluice.pipeline;

import io.sluice.api.Idempotency;
import io.sluice.api.PageRequest;
import io.sluice.api.Params;
import io.sluice.config.SluiceConfig;
import io.sluice.job.Namespaces;
import io.sluice.run.RunPhase;
import io.sluice.security.Role;
import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Runs of pipelines: start, list, read, cancel and retry. */
@Path("/api/v1/namespaces/{namespace}/pipelines/{name}/runs")
@Tag(name = "Pipelines")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ROLE)
public class PipelineRunResource {
  /** Where the lists' watches stand; read before each list. */
  @jakarta.inject.Inject io.sluice.watch.WatchHub watch;

  private final PipelineRunService service;
  private final SluiceConfig config;
  private final Idempotency idempotency;

  public PipelineRunResource(
      PipelineRunService service, SluiceConfig config, Idempotency idempotency) {
    this.service = service;
    this.config = config;
    this.idempotency = idempotency;
  }

  @POST
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createPipelineRun",
      summary = "Start a run of a pipeline",
      description =
          "Pins the pipeline's current revision and the current revision of every job its steps name, and answers at once with phase PENDING; the engine starts the first steps. Retried requests with the same Idempotency-Key (an Airflow task instance, say) replay the first answer and start nothing.")
  @APIResponse(
      responseCode = "201",
      description = "Started; Location points at the run",
      headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = PipelineRunResponse.class)))
  @APIResponse(
      responseCode = "409",
      description = "A request with this Idempotency-Key is in progress")
  @APIResponse(
      responseCode = "422",
      description =
          "Unknown or missing parameters, or the Idempotency-Key was used for another body")
  public Response create(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "Makes a retried start safe: one run, the first answer replayed")
          @HeaderParam(Idempotency.HEADER)
          String idempotencyKey,
      @RequestBody(required = false, description = "Optional: parameter values")
          CreatePipelineRunRequest request,
      @Context UriInfo uri) {
    Namespaces.check(namespace);
    return idempotency.execute(
        idempotencyKey,
        "POST " + uri.getPath(),
        request,
        () -> {
          PipelineRunResponse run = service.create(namespace, name, request);
          return Response.created(
                  uri.getAbsolutePathBuilder().path(Integer.toString(run.number())).build())
              .entity(run)
              .build();
        });
  }

  @GET
  @Operation(
      operationId = "listPipelineRuns",
      summary = "List a pipeline's runs, newest first",
      description = "Each run with its steps' phases; attempts are listed by the run's own GET.")
  @APIResponse(
      responseCode = "200",
      description = "One page of runs",
      content = @Content(schema = @Schema(implementation = PipelineRunList.class)))
  public PipelineRunList list(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @Parameter(description = "Only runs in this phase, e.g. FAILED") @QueryParam("phase")
          String phase,
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
      operationId = "getPipelineRun",
      summary = "Get a pipeline run: its DAG with each step's phase and attempts",
      description =
          "Each step with its phase, times, reason and every attempt; an attempt of a job step is a run of that job (.../jobs/{job}/runs/{run}).")
  @APIResponse(
      responseCode = "200",
      description = "The run",
      content = @Content(schema = @Schema(implementation = PipelineRunResponse.class)))
  public PipelineRunResponse get(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String run) {
    Namespaces.check(namespace);
    return service.get(namespace, name, Params.positive("run", run));
  }

  @POST
  @Path("/{run}/cancel")
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Operation(
      operationId = "cancelPipelineRun",
      summary = "Cancel a pipeline run: running steps are cancelled, nothing new starts",
      description =
          "The run and its unfinished steps end CANCELLED at once; the running steps' runs are cancelled and their Kubernetes Jobs deleted.")
  @APIResponse(
      responseCode = "200",
      description = "The run, CANCELLED",
      content = @Content(schema = @Schema(implementation = PipelineRunResponse.class)))
  @APIResponse(responseCode = "409", description = "The run already ended")
  public PipelineRunResponse cancel(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String run) {
    Namespaces.check(namespace);
    return service.cancel(namespace, name, Params.positive("run", run));
  }

  @POST
  @Path("/{run}/retry")
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "retryPipelineRun",
      summary = "Retry a finished run: re-run its failed and cancelled steps and their downstream",
      description =
          "Succeeded steps (and their job runs) are kept. With from, that step and its downstream run again too. By default the re-run steps use the job revisions the run pinned; revisions: current takes each job as it is now. Same run number, a new run attempt; the audit trail says who.")
  @APIResponse(
      responseCode = "200",
      description = "The run, RUNNING again",
      content = @Content(schema = @Schema(implementation = PipelineRunResponse.class)))
  @APIResponse(
      responseCode = "409",
      description = "The run has not ended, or nothing failed and no from was given")
  @APIResponse(responseCode = "422", description = "from names no step of the run")
  public PipelineRunResponse retry(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String run,
      @RequestBody(required = false, description = "Optional: from and revisions")
          RetryPipelineRunRequest request) {
    Namespaces.check(namespace);
    return service.retry(namespace, name, Params.positive("run", run), request);
  }
}
