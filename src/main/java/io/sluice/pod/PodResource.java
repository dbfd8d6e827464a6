package io.sluice.pod;

import io.sluice.api.Problem;
import io.sluice.job.JobResponse;
import io.sluice.job.JobService;
import io.sluice.job.Namespaces;
import io.sluice.run.LogParams;
import io.sluice.run.LogRequest;
import io.sluice.run.RunLogs;
import io.sluice.run.RunResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A job's pods as Kubernetes reports them — phase, readiness, restarts, last termination, node —
 * with the Kubernetes Events about its objects, and the logs of any one pod (a service's or a
 * stateful job's, which have no runs): what {@code kubectl get pods}, {@code describe} and {@code
 * logs} would show a user without cluster access.
 */
@Path("/api/v1/namespaces/{namespace}/jobs/{name}/pods")
@Tag(name = "Pods", description = "A job's pods, their Kubernetes events and logs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(io.sluice.security.Role.VIEWER_ROLE)
public class PodResource {
  private final JobService jobs;
  private final JobPods pods;
  private final RunLogs logs;
  private final io.sluice.security.Caller caller;

  public PodResource(
      JobService jobs, JobPods pods, RunLogs logs, io.sluice.security.Caller caller) {
    this.jobs = jobs;
    this.pods = pods;
    this.logs = logs;
    this.caller = caller;
  }

  @GET
  @Operation(
      operationId = "listJobPods",
      description =
          "The job's pods now, read from the Kubernetes API: phase, kubectl's status, ready containers, restarts, last termination (reason, exit code), node, run and revision, and what is wrong with each; and the Kubernetes Events about the job's objects (FailedScheduling, FailedMount, BackOff, Killing...), newest first.",
      summary = "List a job's pods and their Kubernetes events")
  @APIResponse(
      responseCode = "200",
      description = "The job's pods and events",
      content = @Content(schema = @Schema(implementation = PodList.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such job",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public PodList list(@PathParam("namespace") String namespace, @PathParam("name") String name) {
    Namespaces.check(namespace);
    return pods.list(jobs.get(namespace, name));
  }

  @GET
  @Path("/{pod}/logs")
  @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
  @Operation(
      operationId = "getPodLogs",
      description =
          "The logs of one of the job's pods, as text: a service's or stateful job's replica, or any pod of a run. previous=true reads the crashed container before its restart. With follow=true the answer streams until the container ends; followed streams are bounded per caller and per replica.",
      summary = "Read (or follow) the logs of one of a job's pods")
  @APIResponse(
      responseCode = "200",
      description = "Log text",
      headers =
          @Header(
              name = RunResource.LOG_SOURCE,
              description = "Always live: read from the pod now",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"live", "kept"})),
      content =
          @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(
      responseCode = "404",
      description = "No such job, or the job has no pod of that name",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "The container has no log yet (waiting to start: the detail says why), or no previous"
              + " instance",
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
          @Header(
              name = "Retry-After",
              description = "Seconds to wait before retrying",
              schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response logs(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("pod") String pod,
      @jakarta.ws.rs.BeanParam LogParams params) {
    Namespaces.check(namespace);
    LogRequest request = LogRequest.of(params);
    JobResponse job = jobs.get(namespace, name);
    pods.pod(job, pod);
    RunLogs.Answer answer = logs.live(namespace, pod, request, caller.name());
    return Response.ok(answer.body(), MediaType.TEXT_PLAIN)
        .header(RunResource.LOG_SOURCE, answer.source().name())
        .build();
  }
}
