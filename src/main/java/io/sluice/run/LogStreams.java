package io.sluice.run;

import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.config.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the followed log streams of this replica, in total and per caller: each one holds a stream
 * from the API server and a connection for as long as the pod runs, so without a bound a single
 * caller could exhaust both. Beyond a bound a follow is refused with 429 and Retry-After.
 */
@ApplicationScoped
public class LogStreams {
  private final int total;
  private final int perCaller;
  private int open;
  private final Map<String, Integer> byCaller = new HashMap<>();

  @jakarta.inject.Inject
  public LogStreams(SluiceConfig config) {
    this(config.logs().maxFollowStreams(), config.logs().maxFollowStreamsPerCaller());
  }

  LogStreams(int total, int perCaller) {
    this.total = total;
    this.perCaller = perCaller;
  }

  /** A held stream slot; closing it gives the slot back (once). */
  public final class Slot implements AutoCloseable {
    private final String caller;
    private boolean closed;

    private Slot(String caller) {
      this.caller = caller;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(caller);
      }
    }
  }

  public synchronized Slot acquire(String caller) {
    if (open >= total) {
      throw busy("this replica already follows " + total + " log streams");
    }
    int mine = byCaller.getOrDefault(caller, 0);
    if (mine >= perCaller) {
      throw busy("you already follow " + perCaller + " log streams; close one first");
    }
    open++;
    byCaller.put(caller, mine + 1);
    return new Slot(caller);
  }

  synchronized int open() {
    return open;
  }

  private synchronized void release(String caller) {
    open--;
    byCaller.computeIfPresent(caller, (c, n) -> n <= 1 ? null : n - 1);
  }

  private static SluiceException busy(String why) {
    return new SluiceException(
        Reason.TOO_MANY_REQUESTS, "Too many followed log streams: " + why + "; retry later");
  }
}
