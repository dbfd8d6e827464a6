package io.sluice.reconcile;

import io.sluice.config.SluiceConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Claims due jobs from PostgreSQL and hands them to a pool of workers. Woken right after an API
 * change (so the normal path takes milliseconds); otherwise it polls. Claims use {@code FOR UPDATE
 * SKIP LOCKED} with a lease, so any number of replicas can run this loop and each job is reconciled
 * by one of them at a time. Up to one batch of claims waits behind the running passes, so claiming
 * (one statement that also reads the jobs) overlaps with reconciling instead of taking turns.
 *
 * <p>It claims only when a claim can find something: a claim that found fewer jobs than it had room
 * for waits for the next wake-up (or poll), and a finished pass wakes it only when more was due
 * than the last claim took, when a change came in since the pass's job was claimed (that claim
 * could not see the job while it was claimed), or when the pass left work due at once. So a run
 * costs one claim, not three.
 */
public class ReconcileLoop {
  private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

  private final String worker;
  private final ReconcileStore store;
  private final Reconciler reconciler;
  private final ClusterCache cache;
  private final SluiceConfig.Reconcile config;
  private final Semaphore slots;
  private final int batch;
  private final PendingRecords pending;

  /** The last claim found as many due jobs as it had room for: more are probably waiting. */
  private volatile boolean backlog;

  /** Wake-ups from outside the loop so far: a committed change, an observed drift. */
  private final AtomicLong changes = new AtomicLong();

  private final ExecutorService workers;
  private final Object wake = new Object();
  private final AtomicInteger inFlight = new AtomicInteger();
  private boolean woken;
  private volatile boolean running;
  private Thread thread;

  /** When the claim loop last went round (System.nanoTime); liveness reads it. */
  private volatile long heartbeat = System.nanoTime();

  public ReconcileLoop(
      String worker,
      ReconcileStore store,
      Reconciler reconciler,
      ClusterCache cache,
      SluiceConfig.Reconcile config) {
    this.worker = worker;
    this.store = store;
    this.reconciler = reconciler;
    this.cache = cache;
    this.config = config;
    // Room for one batch running or waiting, plus the next one claimed while it drains.
    this.batch = Math.max(config.workers(), config.claimBatch());
    this.slots = new Semaphore(2 * batch);
    this.pending = new PendingRecords(store, batch);
    reconciler.recordUnchangedIn(pending);
    reconciler.onDueAgain(this::signal);
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            config.workers(),
            r -> {
              Thread t = new Thread(r, "sluice-reconcile-" + worker + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public String worker() {
    return worker;
  }

  public void start() {
    running = true;
    thread = new Thread(this::loop, "sluice-reconcile-claims-" + worker);
    thread.setDaemon(true);
    thread.start();
  }

  /** Wakes the loop now instead of at its next poll: something changed that may make a job due. */
  public void wake() {
    changes.incrementAndGet();
    signal();
  }

  /** Wakes the loop without news of a change: slots freed, or records written. */
  private void signal() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  /**
   * Stops claiming, lets in-flight passes finish (bounded by the lease) and returns once the claim
   * loop has ended too, so nothing is claimed after it returns.
   */
  public void stop() {
    running = false;
    signal();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(config.lease().toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
      pending.flushIfDue(true);
      if (thread != null && thread != Thread.currentThread()) {
        signal();
        thread.join(config.poll().toMillis() + 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int inFlight() {
    return inFlight.get();
  }

  /**
   * True while the claim loop runs and went round within {@code stall}: a loop that died or hangs
   * (after an OutOfMemoryError, say) leaves jobs unreconciled, so liveness must fail and the
   * replica be restarted.
   */
  public boolean alive(Duration stall) {
    return running
        && thread != null
        && thread.isAlive()
        && System.nanoTime() - heartbeat < stall.toNanos();
  }

  private void loop() {
    // The spec codec is warmed once, before the first claim ({@link SerializerWarmup#specs}).
    boolean warmed = false;
    while (running) {
      heartbeat = System.nanoTime();
      try {
        if (!cache.synced()) {
          pause(config.poll());
          continue;
        }
        if (!warmed) {
          warmed = true;
          SerializerWarmup.specs();
        }
        // Claim in batches, not one job per finished pass: a worker's worth while work trickles
        // in (so it starts at once), a whole batch's worth while a backlog drains (fewer claims).
        int threshold = backlog ? batch : config.workers();
        int free = slots.availablePermits();
        if (free < threshold) {
          pause(config.poll());
          continue;
        }
        // Read before claiming: a change after this point may be hidden from this claim.
        long seen = changes.get();
        List<ReconcileStore.Claim> claims = store.claimDue(worker, free, config.lease());
        backlog = claims.size() == free;
        for (ReconcileStore.Claim claim : claims) {
          dispatch(claim, seen);
        }
        // Fewer than there was room for: nothing else is due now, so wait to be woken.
        if (!backlog || slots.availablePermits() < threshold) {
          pause(config.poll());
        }
      } catch (RuntimeException e) {
        LOG.warnf("Reconcile loop could not claim work (%s); retrying", e.getMessage());
        pause(config.poll());
      } catch (Throwable e) {
        // An Error (OutOfMemoryError, StackOverflowError) in one round must not end the loop:
        // nothing else would claim this replica's work. Liveness sees a loop that stops anyway.
        LOG.errorf(e, "Reconcile loop failed (%s); retrying", e);
        pause(config.poll());
      }
    }
  }

  /**
   * Runs one claimed pass on a worker; {@code seen} is the count of changes read before the claim
   * that took it.
   */
  private void dispatch(ReconcileStore.Claim claim, long seen) {
    slots.acquireUninterruptibly();
    inFlight.incrementAndGet();
    try {
      workers.execute(
          () -> {
            try {
              if (!running) {
                // Claimed, but stopped before a worker took it: give it back for another replica.
                safeRelease(claim, Duration.ZERO);
                return;
              }
              reconciler.reconcile(claim);
            } catch (Throwable e) {
              LOG.errorf(
                  e, "Reconcile of job %s failed outside its own error handling", claim.jobId());
              safeRelease(claim, config.minBackoff());
            } finally {
              // The last pass to finish writes what waits; others once a batch has gathered.
              boolean wrote = pending.flushIfDue(inFlight.decrementAndGet() == 0);
              slots.release();
              if (backlog || wrote || changes.get() != seen) {
                signal();
              }
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      inFlight.decrementAndGet();
      slots.release();
      safeRelease(claim, Duration.ZERO);
    }
  }

  private void safeRelease(ReconcileStore.Claim claim, Duration retryIn) {
    try {
      store.release(claim, retryIn);
    } catch (RuntimeException e) {
      LOG.debugf("Could not release claim on %s; its lease will expire", claim.jobId());
    }
  }

  private void pause(Duration timeout) {
    synchronized (wake) {
      if (!woken && running) {
        try {
          wake.wait(timeout.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      woken = false;
    }
  }
}
