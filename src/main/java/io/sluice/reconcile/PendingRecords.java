package io.sluice.reconcile;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Records of passes that changed nothing, written together: a resync of every job is one claim per
 * batch and, with this, one UPDATE per batch too, instead of one per job. Each record stays fenced
 * by its claim token, and the job stays claimed until its record is written — at once when no other
 * pass is running, else when a batch's worth has gathered or the oldest has waited {@link
 * #MAX_WAIT_NANOS}. Losing pending records (a crash) is a crash between applying and recording: the
 * claims expire and the next passes find nothing to do again.
 */
final class PendingRecords {
  private static final Logger LOG = Logger.getLogger(PendingRecords.class);

  /** How long a record may wait for others while passes keep running. */
  static final long MAX_WAIT_NANOS = 20_000_000L;

  private final ReconcileStore store;
  private final int batch;
  private List<ReconcileStore.Unchanged> pending = new ArrayList<>();
  private long oldest;

  PendingRecords(ReconcileStore store, int batch) {
    this.store = store;
    this.batch = batch;
  }

  synchronized void add(ReconcileStore.Unchanged record) {
    if (pending.isEmpty()) {
      oldest = System.nanoTime();
    }
    pending.add(record);
  }

  /**
   * Writes what is pending when it is time: {@code idle} (no pass running, so nothing else will
   * join), a batch gathered, or the oldest waited long enough. Returns whether it tried to write
   * (the records' jobs are claimable again, and one changed meanwhile may be due at once).
   */
  boolean flushIfDue(boolean idle) {
    List<ReconcileStore.Unchanged> taken;
    synchronized (this) {
      boolean due =
          !pending.isEmpty()
              && (idle || pending.size() >= batch || System.nanoTime() - oldest > MAX_WAIT_NANOS);
      if (!due) {
        return false;
      }
      taken = pending;
      pending = new ArrayList<>();
    }
    try {
      int lost = taken.size() - store.recordUnchanged(taken);
      if (lost > 0) {
        LOG.warnf("%d unchanged passes lost their claims before recording", lost);
      }
    } catch (RuntimeException e) {
      // Their claims expire and the jobs are passed again: nothing is lost but time.
      LOG.warnf("Could not record %d unchanged passes (%s)", taken.size(), e.getMessage());
    }
    return true;
  }
}
