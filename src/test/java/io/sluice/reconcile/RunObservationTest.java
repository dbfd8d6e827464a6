package io.sluice.reconcile;

import static io.sluice.support.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.run.RunPhase;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What the status observer reads of a run's row: nothing for an observation the row is known to
 * take nothing from (the new Job's first event after the pass that created it, a pod's event that
 * changes nothing of the run), and what it must for the rest, whoever else wrote the row.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ReliabilityTest.OwnReconcilers.class)
class RunObservationTest {
  private static final Observed.RunStatus NEW_JOB = status(RunPhase.PENDING, 0, null, null);

  @Inject DataSource db;

  private final String ns = Fixtures.namespace();
  private final Connections connections = new Connections();
  private final ReconcileStore store = new ReconcileStore(connections);
  private final StatusStore status = new StatusStore(store);

  @Test
  void aNewJobsFirstEventAndRepeatsOfItsStatusReadNothing() {
    ReconcileStore.Claim claim = claimWithOneRun("once");
    UUID job = claim.jobId();
    Snapshot.OpenRun run = claim.snapshot().runs().get(0);

    connections.taken.set(0);
    status.expectNewJob(job, run, claim.readAt());
    status.recordRun(job, run.number(), NEW_JOB);
    assertEquals(0, connections.taken.get(), "the Job's first event read the run's row");

    Observed.RunStatus running = status(RunPhase.RUNNING, 1, null, null);
    status.recordRun(job, run.number(), running);
    assertEquals("RUNNING", phase(job));
    assertEquals(1, connections.taken.get(), "a change known to be one is only written");
    connections.taken.set(0);
    status.recordRun(job, run.number(), running);
    assertEquals(0, connections.taken.get(), "a pod event that changes nothing read the row");

    // Another replica cancels the run: what this one knew is older, and the row takes nothing.
    Db.execute("update runs set phase = 'CANCELLED' where job_id = ?", job);
    status.recordRun(job, run.number(), status(RunPhase.SUCCEEDED, 1, "Completed", null));
    assertEquals("CANCELLED", phase(job));
    assertTrue(connections.taken.get() > 0, "an observation it could not decide was read");
  }

  @Test
  void theClaimCarriesWhatTheRowSaysOfTheRun() {
    createJobOk(ns, Fixtures.batchJob("told"));
    startRun("told");
    Db.execute(
        "update runs set attempts = 2, reason = 'BackoffLimitExceeded',"
            + " message = 'pod \"told-1\": exit 1, \\ é' where namespace = ? and job_name = 'told'",
        ns);
    Snapshot.OpenRun run = claim("told").snapshot().runs().get(0);
    assertEquals(
        new KnownRuns.Row(
            RunPhase.PENDING, 2, "BackoffLimitExceeded", "pod \"told-1\": exit 1, \\ é"),
        run.row());
  }

  @Test
  void aClaimsOlderReadingDoesNotHideWhatTheObserverWroteSince() {
    ReconcileStore.Claim claim = claimWithOneRun("pulling");
    UUID job = claim.jobId();
    Snapshot.OpenRun run = claim.snapshot().runs().get(0);
    // After the claim's read, the observer saw the run's pod fail to pull its image.
    status.recordRun(
        job, run.number(), status(RunPhase.PENDING, 0, "ErrImagePull", "pod: ErrImagePull"));
    assertEquals("ErrImagePull", Db.text("select reason from runs where job_id = ?", job));

    status.expectNewJob(job, run, claim.readAt());
    // The image pulled: the run is pending with nothing wrong, which the claim's reading said.
    status.recordRun(job, run.number(), NEW_JOB);
    assertNull(Db.text("select reason from runs where job_id = ?", job), "the reason stayed");
  }

  private ReconcileStore.Claim claimWithOneRun(String name) {
    createJobOk(ns, Fixtures.batchJob(name));
    startRun(name);
    ReconcileStore.Claim claim = claim(name);
    assertEquals(1, claim.snapshot().runs().size());
    return claim;
  }

  private void startRun(String name) {
    request().body("{}").post(jobPath(ns, name) + "/runs").then().statusCode(201);
  }

  /** Claims due jobs as a replica would, keeping this test's job and handing the others back. */
  private ReconcileStore.Claim claim(String name) {
    ReconcileStore.Claim mine = null;
    for (ReconcileStore.Claim claim :
        store.claimDue("observation-test", 1000, Duration.ofSeconds(5))) {
      if (claim.snapshot().namespace().equals(ns) && claim.snapshot().name().equals(name)) {
        mine = claim;
      } else {
        store.release(claim, Duration.ZERO);
      }
    }
    assertNotNull(mine, "job " + name + " was not due");
    return mine;
  }

  private static String phase(UUID job) {
    return Db.text("select phase from runs where job_id = ?", job);
  }

  private static Observed.RunStatus status(
      RunPhase phase, int attempts, String reason, String message) {
    return new Observed.RunStatus(
        phase,
        phase == RunPhase.PENDING ? null : Instant.now(),
        phase.isTerminal() ? Instant.now() : null,
        attempts,
        reason,
        message,
        phase.isTerminal() ? 0 : null);
  }

  /**
   * The application's pool, counting the connections taken from it: each is a statement or more.
   */
  private final class Connections implements DataSource {
    final AtomicInteger taken = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
      taken.incrementAndGet();
      return db.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      taken.incrementAndGet();
      return db.getConnection(user, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return db.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      db.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      db.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return db.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getLogger("io.sluice");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return db.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return db.isWrapperFor(type);
    }
  }
}
