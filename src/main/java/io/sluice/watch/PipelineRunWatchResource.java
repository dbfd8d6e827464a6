package io.sluice.watch;

import io.sluice.job.Namespaces;
import io.sluice.pipeline.PipelineRunService;
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
 * The watch side of a pipeline's run list: each pipeline run's changes (its steps' too), as {@link
 * WatchResource} says.
 */
@Path("/api/v1/namespaces/{namespace}/pipelines/{name}/runs")
@Produces(MediaType.SERVER_SENT_EVENTS)
@RolesAllowed(Role.VIEWER_ROLE)
public class PipelineRunWatchResource {
  private final Watches watches;
  private final PipelineRunService runs;

  public PipelineRunWatchResource(Watches watches, PipelineRunService runs) {
    this.watches = watches;
    this.runs = runs;
  }

  @GET
  @Blocking
  @Operation(hidden = true)
  public Multi<OutboundSseEvent> pipelineRuns(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @BeanParam WatchParams params,
      @Context Sse sse) {
    Namespaces.check(namespace);
    return watches.open(
        WatchTarget.pipelineRuns(namespace, runs.liveId(namespace, name)),
        params,
        page -> {
          var list = runs.list(namespace, name, null, page);
          return new Subscription.InitialState.Page(list.items(), list.nextCursor());
        },
        sse);
  }
}
