package io.sluice.reconcile;

import io.sluice.run.RunPhase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What this replica last knew of each open run's row, so that an observation which would change
 * nothing costs no read. A run's Job and pods change a handful of times on a cluster, and each
 * change made the status observer read the run's row, mostly to find it already says the same; the
 * first of them, the new Job's own event, came right after the pass that created it, which had just
 * read the row with its claim.
 *
 * <p>Knowledge comes from the observer's own reads and writes of the row, and from a claim that
 * read it before its pass created the run's Job ({@link #seed}). It can be older than the row:
 * another replica's observer wrote a newer status, or someone cancelled the run. Deciding on it is
 * still safe. An observation equal to what this replica knew is either older than that other
 * writer's (writing it would go back) or, if the run really went back to it, also seen by the
 * replica that wrote since, whose own knowledge makes it write. Cancelling and losing a run end it,
 * and an ended run takes nothing anyway.
 *
 * <p>The replica that wrote since may stop before the run goes back (scaled down, say); knowledge
 * is therefore trusted for {@link #MAX_AGE} only, shorter than the informers' resync ({@code
 * sluice.reconcile.resync}), whose re-observation of every object then reads the row and mends it,
 * as before.
 *
 * <p>A seed must not replace what the observer learnt after the claim's read: it is kept only where
 * nothing is known, and refused when a write of this replica's that came after the read may have
 * been dropped to keep the memory bounded ({@value #MAX_RUNS} runs, oldest first). A seed is as old
 * as the claim's read.
 */
final class KnownRuns {
  /** Runs remembered at most: a few MB, far more than the open runs one replica watches. */
  static final int MAX_RUNS = 20_000;

  /**
   * How long knowledge decides: a run's events come seconds apart while it starts and ends, and the
   * informers' resync (5 minutes by default) comes after.
   */
  static final java.time.Duration MAX_AGE = java.time.Duration.ofSeconds(60);

  /** A run's row as far as an observation can change it. */
  record Row(RunPhase phase, int attempts, String reason, String message) {
    /**
     * Nothing to write when the run ended, the row already says the same, or it says running while
     * the Job reads as pending.
     */
    boolean takesNothingFrom(Observed.RunStatus status) {
      return phase.isTerminal()
          || (phase == status.phase()
              && attempts == status.attempts()
              && Objects.equals(reason, status.reason())
              && Objects.equals(message, status.message()))
          || (phase == RunPhase.RUNNING && status.phase() == RunPhase.PENDING);
    }
  }

  private record Key(UUID jobId, int number) {}

  /**
   * A row as known, whether this replica wrote it (so dropping it may hide a write), and as of when
   * (the clock's nanoseconds).
   */
  private record Known(Row row, boolean written, long at) {}

  private final int max;
  private final long maxAgeNanos;
  private final java.util.function.LongSupplier clock;
  private final Map<Key, Known> runs = new LinkedHashMap<>();

  /** Whether a row this replica wrote was ever dropped for room, and when (System.nanoTime). */
  private boolean droppedWrite;

  private long lastDroppedWrite;

  KnownRuns() {
    this(MAX_RUNS, MAX_AGE, System::nanoTime);
  }

  /** {@code clock}: nanoseconds, the time base of a seed's {@code readAt} (System.nanoTime). */
  KnownRuns(int max, java.time.Duration maxAge, java.util.function.LongSupplier clock) {
    this.max = max;
    this.maxAgeNanos = maxAge.toNanos();
    this.clock = clock;
  }

  /** The run's row as this replica last knew it within {@link #MAX_AGE}; null when it does not. */
  synchronized Row get(UUID jobId, int number) {
    Key key = new Key(jobId, number);
    Known known = runs.get(key);
    if (known == null) {
      return null;
    }
    if (clock.getAsLong() - known.at() > maxAgeNanos) {
      runs.remove(key);
      return null;
    }
    return known.row();
  }

  /** The observer read the row (null: there is none). */
  synchronized void read(UUID jobId, int number, Row row) {
    put(new Key(jobId, number), row == null ? null : new Known(row, false, clock.getAsLong()));
  }

  /** The observer wrote the row. */
  synchronized void wrote(UUID jobId, int number, Row row) {
    put(new Key(jobId, number), new Known(row, true, clock.getAsLong()));
  }

  /**
   * A claim read the row at {@code readAt} (System.nanoTime, taken before its statement), and its
   * pass is about to create the run's Job: the Job's first event will likely say the same.
   */
  synchronized void seed(UUID jobId, int number, Row row, long readAt) {
    if (droppedWrite && readAt - lastDroppedWrite <= 0) {
      return;
    }
    Key key = new Key(jobId, number);
    if (!runs.containsKey(key)) {
      put(key, new Known(row, false, readAt));
    }
  }

  synchronized int size() {
    return runs.size();
  }

  private void put(Key key, Known known) {
    if (known == null || known.row().phase().isTerminal()) {
      // An ended run (or one that is gone) takes nothing more: its few later events are decided by
      // one read each, as before; not worth the room.
      runs.remove(key);
      return;
    }
    runs.remove(key);
    runs.put(key, known);
    while (runs.size() > max) {
      var eldest = runs.entrySet().iterator();
      Known dropped = eldest.next().getValue();
      eldest.remove();
      if (dropped.written()) {
        droppedWrite = true;
        lastDroppedWrite = clock.getAsLong();
      }
    }
  }
}
