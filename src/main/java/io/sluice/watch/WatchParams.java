package io.sluice.watch;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;

/**
 * What every watch takes, declared once: {@code watch} (routed by {@link WatchRouting}), where to
 * start ({@code Last-Event-ID}, else {@code resourceVersion}) and for how long. Bound as text and
 * checked by {@link Watches}, so a bad value is a 400 naming it.
 */
public class WatchParams {
  @QueryParam(WatchRouting.WATCH)
  String watch;

  @QueryParam(Watches.RESOURCE_VERSION)
  String resourceVersion;

  @QueryParam(Watches.TIMEOUT)
  String timeoutSeconds;

  @HeaderParam(Watches.LAST_EVENT_ID)
  String lastEventId;
}
