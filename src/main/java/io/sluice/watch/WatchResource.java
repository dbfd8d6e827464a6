package io.sluice.watch;

import io.sluice.job.JobFilter;
import io.sluice.job.JobList;
import io.sluice.job.JobService;
import io.sluice.job.Namespaces;
import io.sluice.security.Role;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The watch side of the job lists ({@code ?watch=true}, routed here by {@link WatchRouting}):
 * Server-Sent Events of ADDED, MODIFIED and DELETED jobs, each with its resourceVersion as the
 * event id, so a client resumes from {@code Last-Event-ID} or {@code ?resourceVersion=}. The
 * contract declares these on the list operations ({@link WatchContract}); reads need the viewer
 * role, and the namespace check is the one every route gets. Runs and pipeline runs have theirs
 * beside their own lists ({@link RunWatchResource}, {@link PipelineRunWatchResource}).
 */
@Path("/api/v1")
@Produces(MediaType.SERVER_SENT_EVENTS)
@RolesAllowed(Role.VIEWER_ROLE)
public class WatchResource {
  private final Watches watches;
  private final JobService jobs;

  public WatchResource(Watches watches, JobService jobs) {
    this.watches = watches;
    this.jobs = jobs;
  }

  @GET
  @Blocking
  @Path("/namespaces/{namespace}/jobs")
  @Operation(hidden = true)
  public Multi<OutboundSseEvent> jobs(
      @PathParam("namespace") String namespace, @BeanParam WatchParams params, @Context Sse sse) {
    Namespaces.check(namespace);
    return watches.open(
        WatchTarget.jobs(namespace),
        params,
        page -> page(jobs.list(JobFilter.of(namespace, null, null, null, null), page)),
        sse);
  }

  @GET
  @Blocking
  @Path("/jobs")
  @Operation(hidden = true)
  public Multi<OutboundSseEvent> allJobs(@BeanParam WatchParams params, @Context Sse sse) {
    var visible = watches.caller().visibleNamespaces();
    return watches.open(
        WatchTarget.allJobs(visible),
        params,
        page -> page(jobs.list(JobFilter.of(null, null, null, null, null).within(visible), page)),
        sse);
  }

  private static Subscription.InitialState.Page page(JobList list) {
    return new Subscription.InitialState.Page(list.items(), list.nextCursor());
  }
}
