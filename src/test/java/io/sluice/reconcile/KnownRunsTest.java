package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import io.sluice.run.RunPhase;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the memory of run rows keeps, and when it refuses a claim's older reading of a row. */
class KnownRunsTest {
  private static final KnownRuns.Row NEW = new KnownRuns.Row(RunPhase.PENDING, 0, null, null);
  private static final KnownRuns.Row PULLING =
      new KnownRuns.Row(RunPhase.PENDING, 0, "ErrImagePull", "pod x: ErrImagePull");
  private static final KnownRuns.Row RUNNING = new KnownRuns.Row(RunPhase.RUNNING, 1, null, null);

  private final UUID job = UUID.randomUUID();

  /** The memory's clock, in nanoseconds: moved by the tests, one tick per reading. */
  private long now = 1_000;

  private long tick() {
    return now += 1;
  }

  private KnownRuns known(int max) {
    return new KnownRuns(max, KnownRuns.MAX_AGE, this::tick);
  }

  @Test
  void aSeedIsKeptOnlyWhereNothingIsKnown() {
    KnownRuns known = known(10);
    long claimRead = tick();
    known.wrote(job, 1, PULLING);
    known.seed(job, 1, NEW, claimRead);
    assertEquals(PULLING, known.get(job, 1), "the observer's later write stays");

    known.seed(job, 2, NEW, claimRead);
    assertEquals(NEW, known.get(job, 2));
  }

  @Test
  void endedAndMissingRunsAreNotKept() {
    KnownRuns known = known(10);
    known.wrote(job, 1, RUNNING);
    known.wrote(job, 1, new KnownRuns.Row(RunPhase.SUCCEEDED, 1, "Completed", null));
    assertNull(known.get(job, 1));
    known.read(job, 2, RUNNING);
    known.read(job, 2, null);
    assertNull(known.get(job, 2));
    assertEquals(0, known.size());
  }

  @Test
  void itHoldsAtMostItsBoundDroppingTheOldestFirst() {
    KnownRuns known = known(3);
    for (int n = 1; n <= 5; n++) {
      known.read(job, n, RUNNING);
    }
    assertEquals(3, known.size());
    assertNull(known.get(job, 1));
    assertNull(known.get(job, 2));
    assertEquals(RUNNING, known.get(job, 5));
  }

  @Test
  void aSeedReadBeforeAWriteThatWasDroppedIsRefused() {
    KnownRuns known = known(2);
    long claimRead = tick();
    // After the claim's read, the observer writes run 1, then that knowledge is dropped for room:
    // the claim's reading of run 1 may be older than the row, and nothing says which is newer.
    known.wrote(job, 1, PULLING);
    known.read(job, 2, RUNNING);
    known.read(job, 3, RUNNING);
    assertNull(known.get(job, 1));
    known.seed(job, 1, NEW, claimRead);
    assertNull(known.get(job, 1), "refused: it could hide the write");

    // A claim read after the drop is as new as anything dropped.
    known.seed(job, 1, NEW, tick());
    assertEquals(NEW, known.get(job, 1));
  }

  @Test
  void droppingWhatWasOnlyReadRefusesNoSeed() {
    KnownRuns known = known(1);
    long claimRead = tick();
    known.read(job, 1, RUNNING);
    known.read(job, 2, RUNNING);
    known.seed(job, 3, NEW, claimRead);
    assertEquals(NEW, known.get(job, 3));
  }

  @Test
  void knowledgeDecidesForItsMaximumAgeOnly() {
    KnownRuns known = known(10);
    known.wrote(job, 1, RUNNING);
    now += KnownRuns.MAX_AGE.toNanos() - 10;
    assertEquals(RUNNING, known.get(job, 1));
    now += 20;
    assertNull(known.get(job, 1), "older than its maximum age: read again");

    // A seed is as old as the claim's read.
    long claimRead = tick();
    now += KnownRuns.MAX_AGE.toNanos() + 1;
    known.seed(job, 2, NEW, claimRead);
    assertNull(known.get(job, 2));
  }

  @Test
  void aRowDecidesTheObservationsItTakesNothingFrom() {
    Observed.RunStatus fresh =
        new Observed.RunStatus(RunPhase.PENDING, null, null, 0, null, null, null);
    Observed.RunStatus running =
        new Observed.RunStatus(
            RunPhase.RUNNING, java.time.Instant.now(), null, 1, null, null, null);
    assertTrue(NEW.takesNothingFrom(fresh));
    assertFalse(NEW.takesNothingFrom(running));
    assertFalse(PULLING.takesNothingFrom(fresh), "the reason clears");
    assertTrue(RUNNING.takesNothingFrom(fresh), "a running run never goes back to pending");
  }
}
