package io.sluice.api;

import java.util.HashMap;
import java.util.Map;

/**
 * Bounds long-lived streams (followed logs, watches) on this replica, in total and per caller: each
 * holds a connection for as long as it lasts, so without a bound one caller could exhaust them.
 * Beyond a bound a stream is refused with 429 and Retry-After.
 */
public class StreamSlots {
  private final int total;
  private final int perCaller;
  private final String what;
  private int open;
  private final Map<String, Integer> byCaller = new HashMap<>();

  /** For CDI's client proxies of subclasses; never used to count. */
  protected StreamSlots() {
    this(0, 0, "streams");
  }

  /**
   * @param what the streams, in the plural, as a person reads them ("followed log streams")
   */
  protected StreamSlots(int total, int perCaller, String what) {
    this.total = total;
    this.perCaller = perCaller;
    this.what = what;
  }

  /** A held stream slot; closing it gives the slot back (once). */
  public final class Slot implements AutoCloseable {
    private final String caller;
    private boolean closed;

    private Slot(String caller) {
      this.caller = caller;
    }

    @Override
    public void close() {
      synchronized (StreamSlots.this) {
        if (!closed) {
          closed = true;
          release(caller);
        }
      }
    }
  }

  public synchronized Slot acquire(String caller) {
    if (open >= total) {
      throw busy("this replica already serves " + total + " " + what);
    }
    int mine = byCaller.getOrDefault(caller, 0);
    if (mine >= perCaller) {
      throw busy("you already hold " + perCaller + " " + what + "; close one first");
    }
    open++;
    byCaller.put(caller, mine + 1);
    return new Slot(caller);
  }

  public synchronized int open() {
    return open;
  }

  private void release(String caller) {
    open--;
    byCaller.computeIfPresent(caller, (c, n) -> n <= 1 ? null : n - 1);
  }

  private SluiceException busy(String why) {
    return new SluiceException(
        Reason.TOO_MANY_REQUESTS, "Too many " + what + ": " + why + "; retry later");
  }
}
