package io.sluice.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sluice.api.PageRequest;
import io.sluice.api.Params;
import io.sluice.config.SluiceConfig;
import io.sluice.pipeline.CreatePipelineRunRequest;
import io.sluice.pipeline.PipelineResponse;
import io.sluice.pipeline.PipelineRunResponse;
import io.sluice.pipeline.PipelineRunService;
import io.sluice.pipeline.PipelineService;
import io.sluice.pipeline.RetryPipelineRunRequest;
import io.sluice.security.Role;
import io.sluice.watch.WatchHub;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's pipelines: a namespace's pipelines, a pipeline's DAG and runs (and a form to start
 * one with its parameters), and a run's DAG with each step's live phase and attempts, retry and
 * cancel. Reads need a viewer, actions an operator and the session's CSRF token.
 */
@Path(ConsolePaths.ROOT + "/namespaces/{namespace}/pipelines")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ROLE)
public class PipelinePages {
  private final ConsoleContext console;
  private final PipelineService pipelines;
  private final PipelineRunService runs;
  private final WatchHub watch;
  private final SluiceConfig config;
  private final Template list;
  private final Template pipeline;
  private final Template run;

  public PipelinePages(
      ConsoleContext console,
      PipelineService pipelines,
      PipelineRunService runs,
      WatchHub watch,
      SluiceConfig config,
      @Location("console/pipelines.html") Template list,
      @Location("console/pipeline.html") Template pipeline,
      @Location("console/pipeline-run.html") Template run) {
    this.console = console;
    this.pipelines = pipelines;
    this.runs = runs;
    this.watch = watch;
    this.config = config;
    this.list = list;
    this.pipeline = pipeline;
    this.run = run;
  }

  @GET
  @Operation(hidden = true)
  public TemplateInstance pipelines(
      @PathParam("namespace") String namespace, @QueryParam("cursor") String cursor) {
    io.sluice.job.Namespaces.check(namespace);
    var page =
        pipelines.list(
            namespace,
            null,
            PageRequest.of(
                Integer.toString(JobPages.PAGE), JobPages.blank(cursor), config.paging()));
    return console
        .page(list.instance(), namespace)
        .data("pipelines", console.json(page.items()))
        .data("next", JobPages.nextPage(page.nextCursor()));
  }

  @GET
  @Path("/{name}")
  @Operation(hidden = true)
  public TemplateInstance pipeline(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @QueryParam("done") String done) {
    String rv = watch.resourceVersion();
    PipelineResponse p = pipelines.get(namespace, name);
    var runList = runs.list(namespace, name, null, new PageRequest(JobPages.PAGE, null));
    PipelineRunResponse latest = runList.items().isEmpty() ? null : runList.items().get(0);
    List<DagView.Step> steps =
        p.spec().steps().stream()
            .map(
                s ->
                    new DagView.Step(
                        s.name(),
                        s.dependsOnOrEmpty(),
                        latest == null ? null : phaseOf(latest, s.name())))
            .toList();
    return console
        .page(pipeline.instance(), namespace)
        .data("pipeline", console.json(p))
        .data("spec", YamlText.of(p.spec()))
        .data("dag", DagView.of(steps))
        .data("latest", latest == null ? null : latest.number())
        .data("runs", console.json(runList.items()))
        .data("parameters", console.json(p.spec().parametersOrEmpty()))
        .data("notice", Notices.text(done))
        .data("pipelinePath", ConsolePaths.pipeline(namespace, name))
        .data("watch", watchUrl(namespace, name, rv));
  }

  @GET
  @Path("/{name}/runs/{run}")
  @Operation(hidden = true)
  public TemplateInstance run(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String number,
      @QueryParam("done") String done) {
    String rv = watch.resourceVersion();
    int n = Params.bounded("run", number, 1, Integer.MAX_VALUE);
    PipelineRunResponse r = runs.get(namespace, name, n);
    List<DagView.Step> steps =
        r.steps().stream()
            .map(
                s ->
                    new DagView.Step(
                        s.name(), s.dependsOn(), s.phase() == null ? null : s.phase().name()))
            .toList();
    return console
        .page(run.instance(), namespace)
        .data("run", console.json(r))
        .data("name", name)
        .data("dag", DagView.of(steps))
        .data("finished", r.phase().isTerminal())
        .data("notice", Notices.text(done))
        .data("pipelinePath", ConsolePaths.pipeline(namespace, name))
        .data("jobsPath", ConsolePaths.jobs(namespace))
        .data("watch", watchUrl(namespace, name, rv));
  }

  @POST
  @Path("/{name}/runs")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Operation(hidden = true)
  public Response start(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      MultivaluedMap<String, String> form) {
    console.checkCsrf(form.getFirst("csrf"));
    Map<String, String> parameters = new LinkedHashMap<>();
    form.forEach(
        (key, values) -> {
          if (key.startsWith("param.") && !values.isEmpty() && !values.get(0).isEmpty()) {
            parameters.put(key.substring("param.".length()), values.get(0));
          }
        });
    PipelineRunResponse r =
        runs.create(
            namespace,
            name,
            new CreatePipelineRunRequest(parameters.isEmpty() ? null : parameters));
    return Response.seeOther(
            ConsolePaths.after(
                ConsolePaths.pipeline(namespace, name) + "/runs/" + r.number(), "pipelineRun"))
        .build();
  }

  @POST
  @Path("/{name}/runs/{run}/retry")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Operation(hidden = true)
  public Response retry(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String number,
      @FormParam("csrf") String csrf,
      @FormParam("revisions") String revisions) {
    console.checkCsrf(csrf);
    int n = Params.bounded("run", number, 1, Integer.MAX_VALUE);
    runs.retry(
        namespace,
        name,
        n,
        new RetryPipelineRunRequest(
            null,
            "current".equals(revisions)
                ? RetryPipelineRunRequest.Revisions.current
                : RetryPipelineRunRequest.Revisions.pinned));
    return Response.seeOther(
            ConsolePaths.after(
                ConsolePaths.pipeline(namespace, name) + "/runs/" + n, "pipelineRetried"))
        .build();
  }

  @POST
  @Path("/{name}/runs/{run}/cancel")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @RolesAllowed(Role.OPERATOR_ROLE)
  @Operation(hidden = true)
  public Response cancel(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String number,
      @FormParam("csrf") String csrf) {
    console.checkCsrf(csrf);
    int n = Params.bounded("run", number, 1, Integer.MAX_VALUE);
    runs.cancel(namespace, name, n);
    return Response.seeOther(
            ConsolePaths.after(
                ConsolePaths.pipeline(namespace, name) + "/runs/" + n, "pipelineCancelled"))
        .build();
  }

  private static String phaseOf(PipelineRunResponse run, String step) {
    return run.steps().stream()
        .filter(s -> s.name().equals(step))
        .map(s -> s.phase() == null ? null : s.phase().name())
        .findFirst()
        .orElse(null);
  }

  private static String watchUrl(String namespace, String name, String rv) {
    return "/api/v1/namespaces/"
        + namespace
        + "/pipelines/"
        + name
        + "/runs?watch=true&resourceVersion="
        + rv;
  }
}
