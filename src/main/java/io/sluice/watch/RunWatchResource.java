package io.sluice.watch;

import io.sluice.job.JobService;
import io.sluice.job.Namespaces;
import io.sluice.run.RunService;
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

/** The watch side of a job's run list: each run's changes, as {@link WatchResource} says. */
@Path("/api/v1/namespaces/{namespace}/jobs/{name}/runs")
@Produces(MediaType.SERVER_SENT_EVENTS)
@RolesAllowed(Role.VIEWER_ROLE)
public class RunWatchResource {
  private final Watches watches;
  private final JobService jobs;
  private final RunService runs;

  public RunWatchResource(Watches watches, JobService jobs, RunService runs) {
    this.watches = watches;
    this.jobs = jobs;
    this.runs = runs;
  }

  @GET
  @Blocking
  @Operation(hidden = true)
  public Multi<OutboundSseEvent> runs(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @BeanParam WatchParams params,
      @Context Sse sse) {
    Namespaces.check(namespace);
    return watches.open(
        WatchTarget.runs(namespace, jobs.liveId(namespace, name)),
        params,
        page -> {
          var list = runs.list(namespace, name, null, page);
          return new Subscription.InitialState.Page(list.items(), list.nextCursor());
        },
        sse);
  }
}
