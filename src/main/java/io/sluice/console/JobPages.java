package io.sluice.console;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sluice.api.PageRequest;
import io.sluice.api.SluiceException;
import io.sluice.config.SluiceConfig;
import io.sluice.job.JobFilter;
import io.sluice.job.JobList;
import io.sluice.job.JobResponse;
import io.sluice.job.JobService;
import io.sluice.manifest.Manifests;
import io.sluice.rollout.RolloutService;
import io.sluice.run.RunService;
import io.sluice.security.Caller;
import io.sluice.security.Role;
import io.sluice.watch.WatchHub;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's read pages for jobs: namespaces, a namespace's jobs (filters, keyset pages, live),
 * and a job's overview, spec, revisions and their side-by-side diff, events, manifests and runs.
 * Each reads through the same services as the API, so it shows exactly what the API would.
 */
@Path(ConsolePaths.ROOT)
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ROLE)
public class JobPages {
  static final int PAGE = 25;
  private static final List<String> TYPES = List.of("ingestion", "processing", "storage");
  private static final List<String> WORKLOADS =
      List.of("batch", "scheduled", "service", "stateful", "spark", "flink");
  private static final List<String> PHASES =
      java.util.Arrays.stream(io.sluice.job.JobPhase.values()).map(Enum::name).toList();

  private final ConsoleContext console;
  private final ConsoleQueries queries;
  private final JobService jobs;
  private final RunService runs;
  private final RolloutService rollouts;
  private final Manifests manifests;
  private final WatchHub watch;
  private final Caller caller;
  private final SluiceConfig config;
  private final Templates templates;

  /** The job pages' templates. */
  @jakarta.inject.Singleton
  public static class Templates {
    @Location("console/namespaces.html")
    Template namespaces;

    @Location("console/jobs.html")
    Template jobs;

    @Location("console/job.html")
    Template job;

    @Location("console/job-text.html")
    Template text;

    @Location("console/job-revisions.html")
    Template revisions;

    @Location("console/job-diff.html")
    Template diff;

    @Location("console/job-events.html")
    Template events;

    @Location("console/run.html")
    Template run;
  }

  public JobPages(
      ConsoleContext console,
      ConsoleQueries queries,
      JobService jobs,
      RunService runs,
      RolloutService rollouts,
      Manifests manifests,
      WatchHub watch,
      Caller caller,
      SluiceConfig config,
      Templates templates) {
    this.console = console;
    this.queries = queries;
    this.jobs = jobs;
    this.runs = runs;
    this.rollouts = rollouts;
    this.manifests = manifests;
    this.watch = watch;
    this.caller = caller;
    this.config = config;
    this.templates = templates;
  }

  @GET
  @Path("/namespaces")
  @Operation(hidden = true)
  public Object namespaces(@QueryParam("open") String open) {
    if (blank(open) != null) {
      io.sluice.job.Namespaces.check(open.strip());
      return jakarta.ws.rs.core.Response.seeOther(
              java.net.URI.create(ConsolePaths.jobs(open.strip())))
          .build();
    }
    return console.page(
        templates.namespaces.data("namespaces", queries.namespaces(caller.visibleNamespaces())),
        null);
  }

  @GET
  @Path("/namespaces/{namespace}")
  @Operation(hidden = true)
  public jakarta.ws.rs.core.Response namespace(@PathParam("namespace") String namespace) {
    return jakarta.ws.rs.core.Response.seeOther(java.net.URI.create(ConsolePaths.jobs(namespace)))
        .build();
  }

  @GET
  @Path("/namespaces/{namespace}/jobs")
  @Operation(hidden = true)
  public TemplateInstance jobs(
      @PathParam("namespace") String namespace,
      @QueryParam("type") String type,
      @QueryParam("workload") String workload,
      @QueryParam("phase") String phase,
      @QueryParam("labelSelector") String labelSelector,
      @QueryParam("cursor") String cursor,
      @QueryParam("done") String done) {
    io.sluice.job.Namespaces.check(namespace);
    String rv = watch.resourceVersion();
    JobList list = new JobList(List.of(), null);
    String error = null;
    try {
      list =
          jobs.list(
              JobFilter.of(
                  namespace, blank(type), blank(workload), blank(phase), blank(labelSelector)),
              page(cursor));
    } catch (SluiceException e) {
      error = e.getMessage();
    }
    Map<String, String> filters = new java.util.LinkedHashMap<>();
    put(filters, "type", type);
    put(filters, "workload", workload);
    put(filters, "phase", phase);
    put(filters, "labelSelector", labelSelector);
    String query =
        filters.entrySet().stream()
            .map(e -> e.getKey() + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return console.page(
        templates
            .jobs
            .data("jobs", console.json(list.items()))
            .data("filters", filters)
            .data("types", TYPES)
            .data("workloads", WORKLOADS)
            .data("phases", PHASES)
            .data("error", error)
            .data("notice", Notices.text(done))
            .data(
                "next",
                list.nextCursor() == null
                    ? null
                    : "?"
                        + (query.isEmpty() ? "" : query + "&")
                        + "cursor="
                        + encode(list.nextCursor()))
            .data("first", blank(cursor) == null ? null : "?" + query)
            .data(
                "watch",
                "/api/v1/namespaces/" + namespace + "/jobs?watch=true&resourceVersion=" + rv),
        namespace);
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}")
  @Operation(hidden = true)
  public TemplateInstance job(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @QueryParam("done") String done) {
    String rv = watch.resourceVersion();
    JobResponse job = jobs.get(namespace, name);
    boolean runnable = runnable(job);
    var runList = runnable ? runs.list(namespace, name, null, new PageRequest(PAGE, null)) : null;
    return tab(templates.job, job, "overview")
        .data("notice", Notices.text(done))
        .data("runnable", runnable)
        .data("previousRevision", Math.max(1, job.revision() - 1))
        .data("scalable", !runnable || job.workload() == io.sluice.job.Workload.SPARK)
        .data("scale", console.json(rollouts.scale(namespace, name)))
        .data("runs", runList == null ? List.of() : console.json(runList.items()))
        .data(
            "watchRuns",
            runnable
                ? "/api/v1/namespaces/"
                    + namespace
                    + "/jobs/"
                    + name
                    + "/runs?watch=true&resourceVersion="
                    + rv
                : null)
        .data(
            "watch", "/api/v1/namespaces/" + namespace + "/jobs?watch=true&resourceVersion=" + rv);
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/spec")
  @Operation(hidden = true)
  public TemplateInstance spec(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    JobResponse job = jobs.get(namespace, name);
    return tab(templates.text, job, "spec")
        .data("heading", "Spec of revision " + job.revision())
        .data("text", YamlText.of(job.spec()));
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/manifests")
  @Operation(hidden = true)
  public TemplateInstance manifests(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    JobResponse job = jobs.get(namespace, name);
    String yaml =
        manifests.render(namespace, name, null).stream()
            .map(Serialization::asYaml)
            .collect(Collectors.joining());
    return tab(templates.text, job, "manifests")
        .data("heading", "What Sluice applies to Kubernetes for revision " + job.revision())
        .data("text", yaml);
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/revisions")
  @Operation(hidden = true)
  public TemplateInstance revisions(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @QueryParam("cursor") String cursor) {
    JobResponse job = jobs.get(namespace, name);
    var list = jobs.revisions(namespace, name, page(cursor));
    return tab(templates.revisions, job, "revisions")
        .data("revisions", console.json(list.items()))
        .data("next", nextPage(list.nextCursor()));
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/revisions/{from}/diff/{to}")
  @Operation(hidden = true)
  public TemplateInstance diff(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("from") String from,
      @PathParam("to") String to) {
    JobResponse job = jobs.get(namespace, name);
    int a = io.sluice.api.Params.bounded("from", from, 1, Integer.MAX_VALUE);
    int b = io.sluice.api.Params.bounded("to", to, 1, Integer.MAX_VALUE);
    var left = jobs.revision(namespace, name, a);
    var right = jobs.revision(namespace, name, b);
    LineDiff lines = LineDiff.of(YamlText.of(left.spec()), YamlText.of(right.spec()));
    return tab(templates.diff, job, "revisions")
        .data("from", a)
        .data("to", b)
        .data("rows", lines.compared() ? lines.rows() : List.of())
        .data("compared", lines.compared())
        .data("leftLabel", "Revision " + a)
        .data("rightLabel", "Revision " + b)
        .data("changes", console.json(rollouts.diff(namespace, name, a, b).changes()));
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/events")
  @Operation(hidden = true)
  public TemplateInstance events(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @QueryParam("cursor") String cursor) {
    JobResponse job = jobs.get(namespace, name);
    var list = jobs.events(namespace, name, page(cursor));
    return tab(templates.events, job, "events")
        .data("events", console.json(list.items()))
        .data("next", nextPage(list.nextCursor()));
  }

  @GET
  @Path("/namespaces/{namespace}/jobs/{name}/runs/{run}")
  @Operation(hidden = true)
  public TemplateInstance run(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("run") String number,
      @QueryParam("done") String done) {
    String rv = watch.resourceVersion();
    JobResponse job = jobs.get(namespace, name);
    int n = io.sluice.api.Params.bounded("run", number, 1, Integer.MAX_VALUE);
    var run = runs.get(namespace, name, n);
    String api = "/api/v1/namespaces/" + namespace + "/jobs/" + name + "/runs/" + n;
    return tab(templates.run, job, "runs")
        .data("run", console.json(run))
        .data("notice", Notices.text(done))
        .data("finished", run.phase().isTerminal())
        .data("logs", api + "/logs")
        .data(
            "watchRuns",
            "/api/v1/namespaces/"
                + namespace
                + "/jobs/"
                + name
                + "/runs?watch=true&resourceVersion="
                + rv);
  }

  private TemplateInstance tab(Template template, JobResponse job, String tab) {
    return console
        .page(template.instance(), job.namespace())
        .data("job", console.json(job))
        .data("tab", tab)
        .data("jobPath", ConsolePaths.job(job.namespace(), job.name()));
  }

  /** Batch, scheduled and Spark jobs have runs; the others have replicas. */
  static boolean runnable(JobResponse job) {
    return switch (job.workload()) {
      case BATCH, SCHEDULED, SPARK -> true;
      default -> false;
    };
  }

  /** A console page of a list: {@link #PAGE} items from {@code cursor}. */
  PageRequest page(String cursor) {
    return PageRequest.of(Integer.toString(PAGE), blank(cursor), config.paging());
  }

  /** The link to the next page, or null on the last. */
  static String nextPage(String nextCursor) {
    return nextCursor == null ? null : "?cursor=" + encode(nextCursor);
  }

  static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static void put(Map<String, String> map, String key, String value) {
    if (blank(value) != null) {
      map.put(key, value);
    }
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
