package io.sluice.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sluice.api.FieldError;
import io.sluice.api.Params;
import io.sluice.api.Problem;
import io.sluice.api.ProblemMapper;
import io.sluice.api.SluiceException;
import io.sluice.api.YamlBodyReader;
import io.sluice.job.CreateJobRequest;
import io.sluice.job.JobResponse;
import io.sluice.job.JobService;
import io.sluice.job.UpdateJobRequest;
import io.sluice.rollout.RollbackRequest;
import io.sluice.rollout.RolloutService;
import io.sluice.rollout.ScaleRequest;
import io.sluice.run.CreateRunRequest;
import io.sluice.run.RunService;
import io.sluice.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's job actions: create and edit from YAML (each validation error shown at the line of
 * its field), run, cancel a run, scale, suspend, resume, roll back and delete (the last two after a
 * confirmation). Every form needs the operator role and the session's CSRF token, and goes through
 * the same services, validation, policy and audit trail as the API.
 */
@Path(ConsolePaths.ROOT)
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.OPERATOR_ROLE)
public class JobActions {
  private static final YamlBodyReader YAML = new YamlBodyReader();
  private static final String NEW_JOB =
      """
      name: my-ingest
      type: ingestion
      workload: batch
      spec:
        image: ghcr.io/acme/ingest:1.0
        args: ["--date", "2026-12-01"]
        resources:
          cpu: 500m
          memory: 512Mi
      """;

  private final ConsoleContext console;
  private final JobService jobs;
  private final RunService runs;
  private final RolloutService rollouts;
  private final Template edit;
  private final Template confirm;

  public JobActions(
      ConsoleContext console,
      JobService jobs,
      RunService runs,
      RolloutService rollouts,
      @Location("console/job-edit.html") Template edit,
      @Location("console/job-confirm.html") Template confirm) {
    this.console = console;
    this.jobs = jobs;
    this.runs = runs;
    this.rollouts = rollouts;
    this.edit = edit;
    this.confirm = confirm;
  }

  @GET
  @Path("/namespaces/{namespace}/new-job")
  @Operation(hidden = true)
  public TemplateInstance newJob(@PathParam("namespace") String namespace) {
    return editor(namespace, null, NEW_JOB, null, List.of());
  }

  @POST
  @Path("/namespaces/{namespace}/new-job")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response create(
      @PathParam("namespace") String namespace,
      @FormParam("csrf") String csrf,
      @FormParam("yaml") String yaml) {
    console.checkCsrf(csrf);
    String text = yaml == null ? "" : yaml;
    try {
      CreateJobRequest request =
          YAML.read(text.getBytes(StandardCharsets.UTF_8), CreateJobRequest.class);
      if (request == null) {
        throw new SluiceException(io.sluice.api.Reason.MALFORMED_REQUEST, "The YAML is empty");
      }
      JobResponse job = jobs.create(namespace, request);
      return Response.seeOther(
              ConsolePaths.after(ConsolePaths.job(namespace, job.name()), "created"))
          .build();
    } catch (SluiceException e) {
      return invalid(namespace, null, text, null, problem(e));
    } catch (JsonProcessingException e) {
      return invalid(namespace, null, text, null, ProblemMapper.bodyProblem(e, null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/edit")
  @Operation(hidden = true)
  public TemplateInstance editForm(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    JobResponse job = jobs.get(namespace, name);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("spec", job.spec());
    body.put("changeCause", "");
    return editor(namespace, job, YamlText.of(body), null, List.of());
  }

  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/edit")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response update(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @FormParam("csrf") String csrf,
      @FormParam("version") String version,
      @FormParam("yaml") String yaml) {
    console.checkCsrf(csrf);
    String text = yaml == null ? "" : yaml;
    JobResponse job = jobs.get(namespace, name);
    try {
      UpdateJobRequest request =
          YAML.read(text.getBytes(StandardCharsets.UTF_8), UpdateJobRequest.class);
      if (request == null) {
        throw new SluiceException(io.sluice.api.Reason.MALFORMED_REQUEST, "The YAML is empty");
      }
      JobResponse updated = jobs.update(namespace, name, etag(version), request);
      String notice = updated.revision() == job.revision() ? "unchanged" : "updated";
      return Response.seeOther(ConsolePaths.after(ConsolePaths.job(namespace, name), notice))
          .build();
    } catch (SluiceException e) {
      return invalid(namespace, job, text, version, problem(e));
    } catch (JsonProcessingException e) {
      return invalid(namespace, job, text, version, ProblemMapper.bodyProblem(e, null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/run")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response run(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @FormParam("csrf") String csrf,
      @FormParam("args") String args) {
    console.checkCsrf(csrf);
    List<String> list =
        args == null || args.isBlank()
            ? null
            : args.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    var run = runs.create(namespace, name, new CreateRunRequest(list, null));
    return Response.seeOther(
            ConsolePaths.after(ConsolePaths.job(namespace, name) + "/runs/" + run.number(), "run"))
        .build();
  }

  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/runs/{run}/cancel")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response cancel(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String run,
      @FormParam("csrf") String csrf) {
    console.checkCsrf(csrf);
    int n = Params.bounded("run", run, 1, Integer.MAX_VALUE);
    runs.cancel(namespace, name, n);
    return Response.seeOther(
            ConsolePaths.after(ConsolePaths.job(namespace, name) + "/runs/" + n, "cancelled"))
        .build();
  }

  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/scale")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response scale(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @FormParam("csrf") String csrf,
      @FormParam("replicas") String replicas) {
    console.checkCsrf(csrf);
    int n = Params.bounded("replicas", replicas, 0, 10_000);
    rollouts.setScale(namespace, name, null, new ScaleRequest(n));
    return done(namespace, name, "scaled");
  }

  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/suspend")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response suspend(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @FormParam("csrf") String csrf) {
    console.checkCsrf(csrf);
    rollouts.suspend(namespace, name, null);
    return done(namespace, name, "suspended");
  }

  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/resume")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response resume(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @FormParam("csrf") String csrf) {
    console.checkCsrf(csrf);
    rollouts.resume(namespace, name, null);
    return done(namespace, name, "resumed");
  }

  /** Without {@code confirmed=true}: a page showing what the rollback changes, to confirm. */
  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/rollback")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response rollback(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @FormParam("csrf") String csrf,
      @FormParam("toRevision") String toRevision,
      @FormParam("confirmed") String confirmed) {
    console.checkCsrf(csrf);
    int target = Params.bounded("toRevision", toRevision, 1, Integer.MAX_VALUE);
    JobResponse job = jobs.get(namespace, name);
    if (!"true".equals(confirmed)) {
      var to = jobs.revision(namespace, name, target);
      LineDiff lines = LineDiff.of(YamlText.of(job.spec()), YamlText.of(to.spec()));
      return Response.ok(
              console
                  .page(confirm.instance(), namespace)
                  .data("job", console.json(job))
                  .data("jobPath", ConsolePaths.job(namespace, name))
                  .data("action", "rollback")
                  .data("toRevision", target)
                  .data("leftLabel", "Now (revision " + job.revision() + ")")
                  .data("rightLabel", "After (revision " + target + "'s spec)")
                  .data("rows", lines.compared() ? lines.rows() : List.of()))
          .build();
    }
    rollouts.rollback(
        namespace, name, null, new RollbackRequest(target, "rolled back from the console"));
    return done(namespace, name, "rolledBack");
  }

  @POST
  @Path("/namespaces/{namespace}/jobs/{name}/delete")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response delete(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @FormParam("csrf") String csrf,
      @FormParam("confirmed") String confirmed) {
    console.checkCsrf(csrf);
    JobResponse job = jobs.get(namespace, name);
    if (!"true".equals(confirmed)) {
      return Response.ok(
              console
                  .page(confirm.instance(), namespace)
                  .data("job", console.json(job))
                  .data("jobPath", ConsolePaths.job(namespace, name))
                  .data("action", "delete")
                  .data("rows", List.of()))
          .build();
    }
    jobs.delete(namespace, name, null, false);
    return Response.seeOther(ConsolePaths.after(ConsolePaths.jobs(namespace), "deleted")).build();
  }

  private static Response done(String namespace, String name, String notice) {
    return Response.seeOther(ConsolePaths.after(ConsolePaths.job(namespace, name), notice)).build();
  }

  private static String etag(String version) {
    return version == null || version.isBlank() ? null : "\"" + version.strip() + "\"";
  }

  private static Problem problem(SluiceException e) {
    return Problem.of(e.reason(), e.getMessage(), null, e.errors());
  }

  /** The editor again, with the problem's errors beside the lines of their fields (422 etc.). */
  private Response invalid(
      String namespace, JobResponse job, String yaml, String version, Problem problem) {
    YamlLines lines = YamlLines.of(yaml);
    List<Map<String, Object>> errors = new ArrayList<>();
    List<FieldError> fieldErrors = problem.errors() == null ? List.of() : problem.errors();
    if (fieldErrors.isEmpty()) {
      errors.add(error("body", problem.detail(), 0));
    }
    for (FieldError e : fieldErrors) {
      errors.add(error(e.field(), e.message(), lines.lineOf(e.field())));
    }
    return Response.status(problem.status())
        .entity(editor(namespace, job, yaml, version, errors).data("problem", problem.detail()))
        .build();
  }

  private static Map<String, Object> error(String field, String message, int line) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("field", field);
    error.put("message", message);
    error.put("line", line);
    return error;
  }

  private TemplateInstance editor(
      String namespace,
      JobResponse job,
      String yaml,
      String version,
      List<Map<String, Object>> errors) {
    List<Map<String, Object>> numbered = new ArrayList<>();
    String[] lines = yaml.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int no = i + 1;
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("no", no);
      line.put("text", lines[i]);
      line.put("errors", errors.stream().filter(e -> (int) e.get("line") == no).toList());
      numbered.add(line);
    }
    return console
        .page(edit.instance(), namespace)
        .data("job", job == null ? null : console.json(job))
        .data("jobPath", job == null ? null : ConsolePaths.job(namespace, job.name()))
        .data("tab", "edit")
        .data("yaml", yaml)
        .data(
            "version",
            version != null ? version : job == null ? null : Long.toString(job.version()))
        .data("errors", errors)
        .data("unplaced", errors.stream().filter(e -> (int) e.get("line") == 0).toList())
        .data("lines", errors.isEmpty() ? List.of() : numbered);
  }
}
