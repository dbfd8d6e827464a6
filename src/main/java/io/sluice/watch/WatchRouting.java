package io.sluice.watch;

import io.sluice.api.Params;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code ?watch=true} turns a list into a watch, as in Kubernetes: the request is routed to {@link
 * WatchResource} (the Server-Sent Events side of the same path) whatever Accept it carries, so a
 * generated client that always asks for JSON can still open a watch. {@code ?watch=false} is the
 * plain list.
 */
public class WatchRouting {
  public static final String WATCH = "watch";

  /** The lists that can be watched; elsewhere {@code watch} is an unknown parameter (400). */
  private static final java.util.regex.Pattern WATCHABLE =
      java.util.regex.Pattern.compile(
          "/api/v1(/jobs|/namespaces/[^/]+/jobs|/namespaces/[^/]+/jobs/[^/]+/runs"
              + "|/namespaces/[^/]+/pipelines/[^/]+/runs)/?");

  @ServerRequestFilter(preMatching = true)
  public void route(ContainerRequestContext request) {
    if (!HttpMethod.GET.equals(request.getMethod())
        || !WATCHABLE.matcher(request.getUriInfo().getPath()).matches()) {
      return;
    }
    List<String> values = request.getUriInfo().getQueryParameters().get(WATCH);
    if (values == null) {
      return;
    }
    if (values.size() > 1) {
      throw io.sluice.api.SluiceException.badParameter(WATCH, "send it once");
    }
    if (Params.bool(WATCH, values.get(0))) {
      request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.SERVER_SENT_EVENTS);
    } else {
      request.setRequestUri(
          UriBuilder.fromUri(request.getUriInfo().getRequestUri())
              .replaceQueryParam(WATCH)
              .build());
    }
  }
}
