package io.sluice.watch;

import io.sluice.api.PageRequest;
import io.sluice.api.Params;
import io.sluice.api.SluiceException;
import io.sluice.security.Caller;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.function.Function;

/**
 * What every watch endpoint does with its request, said once: where to start (Last-Event-ID, else
 * resourceVersion, else the current state), for how long, and for whom.
 */
@ApplicationScoped
public class Watches {
  static final String RESOURCE_VERSION = "resourceVersion";
  static final String TIMEOUT = "timeoutSeconds";
  static final String LAST_EVENT_ID = "Last-Event-ID";
  private static final int INITIAL_PAGE = 200;

  private final WatchHub hub;
  private final Caller caller;
  private final io.sluice.security.StillAuthenticated still;

  public Watches(WatchHub hub, Caller caller, io.sluice.security.StillAuthenticated still) {
    this.hub = hub;
    this.caller = caller;
    this.still = still;
  }

  /**
   * Opens a watch of {@code target}; {@code list} reads a page of the current state (for a watch
   * without a position).
   */
  Multi<OutboundSseEvent> open(
      WatchTarget target,
      WatchParams params,
      Function<PageRequest, Subscription.InitialState.Page> list,
      Sse sse) {
    // A reconnecting EventSource keeps its URL and sends the id of the last event it had.
    Long from = null;
    if (params.lastEventId != null && !params.lastEventId.isBlank()) {
      from = version(LAST_EVENT_ID, params.lastEventId);
    } else if (params.resourceVersion != null) {
      from = version(RESOURCE_VERSION, params.resourceVersion);
    }
    Duration timeout =
        params.timeoutSeconds == null
            ? null
            : Duration.ofSeconds(Params.bounded(TIMEOUT, params.timeoutSeconds, 1, 86_400));
    Subscription.InitialState initial = cursor -> list.apply(new PageRequest(INITIAL_PAGE, cursor));
    return hub.open(caller.name(), target, from, initial, timeout, still.ofCurrentRequest(), sse);
  }

  Caller caller() {
    return caller;
  }

  private static long version(String name, String value) {
    try {
      long v = Long.parseLong(value.trim());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw SluiceException.badParameter(
        name,
        "is not a resourceVersion this server gave (a list's resourceVersion or an event id)");
  }
}
