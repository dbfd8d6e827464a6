package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import io.sluice.config.SluiceConfig;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The claim loop on its own, with small hand-written fakes for the store and the reconciler (whose
 * passes never read a claim's snapshot, so the fakes' claims carry none).
 */
class ReconcileLoopTest {

  @Test
  void stopLetsTheInFlightPassFinishAndClaimsNothingMore() throws Exception {
    AtomicInteger claimCalls = new AtomicInteger();
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicBoolean claimedAfterStop = new AtomicBoolean();
    FakeStore store =
        new FakeStore() {
          @Override
          public List<Claim> claimDue(String worker, int limit, Duration lease) {
            if (stopped.get()) {
              claimedAfterStop.set(true);
            }
            return claimCalls.getAndIncrement() == 0
                ? List.of(new Claim(UUID.randomUUID(), 1, null, 0))
                : List.of();
          }
        };
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Reconciler slow =
        new Reconciler(null, null, null, store, config()) {
          @Override
          public void reconcile(ReconcileStore.Claim claim) {
            started.countDown();
            sleep(500);
            finished.set(true);
          }
        };
    ReconcileLoop loop = new ReconcileLoop("test", store, slow, syncedCache(), config());
    loop.start();
    assertTrue(started.await(5, TimeUnit.SECONDS));

    loop.stop();
    // A claim already under way when stop() began may finish; none may start once it returned.
    stopped.set(true);

    assertTrue(finished.get(), "stop() returned only after the in-flight pass finished");
    sleep(300);
    assertFalse(claimedAfterStop.get(), "no claims after stop");
  }

  @Test
  void anErrorInAClaimOrAPassDoesNotEndTheLoopAndAStoppedLoopIsNotAlive() throws Exception {
    AtomicInteger claims = new AtomicInteger();
    AtomicInteger passes = new AtomicInteger();
    FakeStore store =
        new FakeStore() {
          @Override
          public List<Claim> claimDue(String worker, int limit, Duration lease) {
            int n = claims.incrementAndGet();
            if (n == 1) {
              throw new OutOfMemoryError("Java heap space (simulated)");
            }
            return n <= 3 ? List.of(new Claim(UUID.randomUUID(), 1, null, 0)) : List.of();
          }
        };
    Reconciler failing =
        new Reconciler(null, null, null, store, config()) {
          @Override
          public void reconcile(ReconcileStore.Claim claim) {
            passes.incrementAndGet();
            throw new StackOverflowError("simulated");
          }
        };
    ReconcileLoop loop = new ReconcileLoop("test", store, failing, syncedCache(), config());
    assertFalse(loop.alive(Duration.ofMinutes(1)), "not alive before it starts");
    loop.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (passes.get() < 2 && System.nanoTime() < deadline) {
      sleep(20);
    }
    assertEquals(2, passes.get(), "claims after the Error were still made and passed on");
    assertTrue(loop.alive(Duration.ofMinutes(1)));
    assertFalse(loop.alive(Duration.ZERO), "a loop that has not gone round within the bound");
    loop.stop();
    assertFalse(loop.alive(Duration.ofMinutes(1)), "a stopped loop fails liveness");
  }

  @Test
  void aPassThatBlowsUpReleasesItsSlotAndTheLoopGoesOn() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    FakeStore store =
        new FakeStore() {
          @Override
          public List<Claim> claimDue(String worker, int limit, Duration lease) {
            return passes.get() < 5 ? List.of(new Claim(UUID.randomUUID(), 1, null, 0)) : List.of();
          }
        };
    Reconciler exploding =
        new Reconciler(null, null, null, store, config()) {
          @Override
          public void reconcile(ReconcileStore.Claim claim) {
            passes.incrementAndGet();
            throw new IllegalStateException("poison");
          }
        };
    ReconcileLoop loop = new ReconcileLoop("test", store, exploding, syncedCache(), config());
    loop.start();
    for (int i = 0; i < 50 && passes.get() < 5; i++) {
      sleep(100);
    }
    loop.stop();
    assertTrue(passes.get() >= 5, "the loop kept claiming after failures: " + passes.get());
    assertTrue(store.released.get() >= 5, "each failed pass gave its claim back");
  }

  @Test
  void claimsInBatchesAndGivesBackWhatNoWorkerStartedWhenStopped() throws Exception {
    List<Integer> limits = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<ReconcileStore.Claim> releasedClaims = new java.util.concurrent.CopyOnWriteArrayList<>();
    FakeStore store =
        new FakeStore() {
          @Override
          public List<Claim> claimDue(String worker, int limit, Duration lease) {
            limits.add(limit);
            List<Claim> claims = new java.util.ArrayList<>();
            for (int i = 0; i < limit; i++) {
              claims.add(new Claim(UUID.randomUUID(), 1, null, 0));
            }
            return claims;
          }

          @Override
          public void release(Claim claim, Duration retryIn) {
            releasedClaims.add(claim);
          }
        };
    CountDownLatch bothBusy = new CountDownLatch(2);
    CountDownLatch unblock = new CountDownLatch(1);
    List<ReconcileStore.Claim> reconciled = new java.util.concurrent.CopyOnWriteArrayList<>();
    Reconciler blocked =
        new Reconciler(null, null, null, store, config()) {
          @Override
          public void reconcile(ReconcileStore.Claim claim) {
            reconciled.add(claim);
            bothBusy.countDown();
            try {
              unblock.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    ReconcileLoop loop = new ReconcileLoop("test", store, blocked, syncedCache(), config());
    loop.start();
    assertTrue(bothBusy.await(5, TimeUnit.SECONDS));
    sleep(200);

    assertEquals(List.of(6), limits, "one claim: a batch to run or wait, and the next batch");
    Thread stopper = new Thread(loop::stop);
    stopper.start();
    sleep(100);
    unblock.countDown();
    stopper.join(5000);

    assertEquals(2, reconciled.size(), "only the two passes that had started ran");
    assertEquals(4, releasedClaims.size(), "the four waiting claims were given back");
    assertTrue(releasedClaims.stream().noneMatch(reconciled::contains));
  }

  @Test
  void aPassCostsOneClaimAndAnIdleLoopClaimsOnlyWhenWoken() throws Exception {
    // Polling is out of the picture: only wake-ups and the loop's own rules cause claims.
    SluiceConfig.Reconcile config = config(Duration.ofHours(1));
    AtomicInteger claims = new AtomicInteger();
    AtomicBoolean due = new AtomicBoolean(true);
    FakeStore store =
        new FakeStore() {
          @Override
          public List<Claim> claimDue(String worker, int limit, Duration lease) {
            claims.incrementAndGet();
            return due.getAndSet(false)
                ? List.of(new Claim(UUID.randomUUID(), 1, null, 0))
                : List.of();
          }
        };
    AtomicInteger passes = new AtomicInteger();
    Reconciler counting =
        new Reconciler(null, null, null, store, config) {
          @Override
          public void reconcile(ReconcileStore.Claim claim) {
            passes.incrementAndGet();
          }
        };
    ReconcileLoop loop = new ReconcileLoop("test", store, counting, syncedCache(), config);
    loop.start();
    try {
      awaitTrue(() -> passes.get() == 1);
      sleep(300);
      assertEquals(
          1, claims.get(), "the claim found less than it had room for: nothing more to claim");

      due.set(true);
      loop.wake();
      awaitTrue(() -> passes.get() == 2);
      sleep(300);
      assertEquals(2, claims.get(), "one wake-up, one claim; the pass that ended woke nothing");
    } finally {
      loop.stop();
    }
  }

  @Test
  void aChangeToAJobWhileItsPassRunsIsClaimedWhenThePassEnds() throws Exception {
    SluiceConfig.Reconcile config = config(Duration.ofHours(1));
    UUID job = UUID.randomUUID();
    AtomicBoolean due = new AtomicBoolean(true);
    AtomicBoolean claimed = new AtomicBoolean();
    AtomicInteger claims = new AtomicInteger();
    FakeStore store =
        new FakeStore() {
          @Override
          public synchronized List<Claim> claimDue(String worker, int limit, Duration lease) {
            claims.incrementAndGet();
            // As PostgreSQL does: a claimed job is skipped even when due.
            if (due.get() && !claimed.get()) {
              due.set(false);
              claimed.set(true);
              return List.of(new Claim(job, 1, null, 0));
            }
            return List.of();
          }
        };
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch changed = new CountDownLatch(1);
    AtomicInteger passes = new AtomicInteger();
    Reconciler blocking =
        new Reconciler(null, null, null, store, config) {
          @Override
          public void reconcile(ReconcileStore.Claim claim) {
            if (passes.incrementAndGet() == 1) {
              firstRunning.countDown();
              try {
                changed.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            synchronized (store) {
              claimed.set(false); // the pass's record releases the claim
            }
          }
        };
    ReconcileLoop loop = new ReconcileLoop("test", store, blocking, syncedCache(), config);
    loop.start();
    try {
      assertTrue(firstRunning.await(5, TimeUnit.SECONDS));
      // A run is submitted to the job while its pass runs: the job is due again, and the claim the
      // wake-up causes cannot take it yet.
      int before = claims.get();
      due.set(true);
      loop.wake();
      awaitTrue(() -> claims.get() > before);
      changed.countDown();

      awaitTrue(() -> passes.get() == 2);
      assertFalse(due.get(), "the job was claimed again as soon as its first pass ended");
    } finally {
      loop.stop();
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
      sleep(50);
    }
    assertTrue(condition.getAsBoolean(), "not within 5 s (the poll is an hour)");
  }

  /** A store that touches no database. */
  static class FakeStore extends ReconcileStore {
    final AtomicInteger released = new AtomicInteger();

    FakeStore() {
      super(null);
    }

    @Override
    public void release(Claim claim, Duration retryIn) {
      released.incrementAndGet();
    }
  }

  private static ClusterCache syncedCache() {
    return new ClusterCache() {
      @Override
      public boolean synced() {
        return true;
      }
    };
  }

  private static SluiceConfig.Reconcile config() {
    return config(Duration.ofMillis(20));
  }

  private static SluiceConfig.Reconcile config(Duration poll) {
    return new SluiceConfig.Reconcile() {
      public boolean enabled() {
        return true;
      }

      public int workers() {
        return 2;
      }

      public int claimBatch() {
        return 3;
      }

      public Duration lease() {
        return Duration.ofSeconds(10);
      }

      public Duration resync() {
        return Duration.ofMinutes(5);
      }

      public Duration poll() {
        return poll;
      }

      public Duration minBackoff() {
        return Duration.ofMillis(10);
      }

      public Duration maxBackoff() {
        return Duration.ofSeconds(1);
      }

      public Duration gcInterval() {
        return Duration.ofMinutes(5);
      }

      public Duration cacheCheckInterval() {
        return Duration.ofMinutes(5);
      }

      public Duration engineCheckInterval() {
        return Duration.ofSeconds(30);
      }

      public int parallelCreates() {
        return 2;
      }

      public int conflictRetries() {
        return 3;
      }
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
