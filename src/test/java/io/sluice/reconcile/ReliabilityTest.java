package io.sluice.reconcile;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.config.SluiceConfig;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several reconcilers in one JVM, as several replicas would run them: claims keep them off each
 * other's jobs, a stale worker's writes are fenced off, and a crash between applying and recording
 * converges to exactly one object per run.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ReliabilityTest.OwnReconcilers.class)
class ReliabilityTest {

  /** The application's own reconciler stays off; the test runs its own, with short leases. */
  public static class OwnReconcilers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "sluice.reconcile.enabled",
          "false",
          "sluice.reconcile.lease",
          "2s",
          "sluice.reconcile.workers",
          "2",
          "sluice.reconcile.poll",
          "100ms");
    }
  }

  @Inject KubernetesClient client;
  @Inject DataSource db;
  @Inject SluiceConfig config;

  private final String ns = Fixtures.namespace();
  private final List<Replica> replicas = new ArrayList<>();

  /** One replica's reconciler stack, with its own cache, as a separate process would have. */
  private final class Replica {
    final ClusterCache cache = new ClusterCache();
    final ReconcileStore store = new ReconcileStore(db);
    final Reconciler reconciler;
    final ReconcileLoop loop;
    final Applier applier;

    Replica(String name, Reconciler.Factory factory) {
      applier = new Applier(client, cache, 3, config.reconcile().parallelCreates());
      reconciler = factory.create(client, cache, applier, store, config.reconcile());
      loop = new ReconcileLoop(name, store, reconciler, cache, config.reconcile());
      cache.addListener(new StatusObserver(cache, new StatusStore(store), store, loop::wake));
      cache.start(client, 60_000);
      loop.start();
    }

    void stop() {
      loop.stop();
      applier.close();
      cache.stop();
    }
  }

  @AfterEach
  void stopReplicas() {
    replicas.forEach(Replica::stop);
  }

  @Test
  void threeReconcilersNeverWorkOnTheSameJobAtOnce() {
    Map<UUID, AtomicInteger> active = new ConcurrentHashMap<>();
    Map<UUID, AtomicInteger> passes = new ConcurrentHashMap<>();
    AtomicBoolean overlap = new AtomicBoolean();
    for (int i = 0; i < 3; i++) {
      replicas.add(
          new Replica(
              "replica-" + i,
              (c, cache, applier, store, cfg) ->
                  new Reconciler(c, cache, applier, store, cfg) {
                    @Override
                    public void reconcile(ReconcileStore.Claim claim) {
                      if (active
                              .computeIfAbsent(claim.jobId(), k -> new AtomicInteger())
                              .incrementAndGet()
                          > 1) {
                        overlap.set(true);
                      }
                      try {
                        Thread.sleep(20);
                        super.reconcile(claim);
                        passes
                            .computeIfAbsent(claim.jobId(), k -> new AtomicInteger())
                            .incrementAndGet();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      } finally {
                        active.get(claim.jobId()).decrementAndGet();
                      }
                    }
                  }));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      ids.add(createJobOk(ns, Fixtures.serviceJob("svc-" + i)).path("id"));
    }

    eventually(
        () ->
            assertEquals(24, client.apps().deployments().inNamespace(ns).list().getItems().size()));
    eventually(
        () ->
            assertEquals(
                24,
                Db.count(
                    "select count(*) from jobs where namespace = ? and applied_revision = 1", ns)));
    assertFalse(overlap.get(), "two reconcilers worked on one job at the same time");
    for (String id : ids) {
      assertTrue(passes.containsKey(UUID.fromString(id)));
    }
    assertEquals(
        24,
        client.services().inNamespace(ns).list().getItems().size(),
        "one Service per job, no duplicates");
  }

  @Test
  void aReadyWorkloadOfAnOlderRevisionDoesNotMakeTheAppliedOneStable() {
    String id = createJobOk(ns, Fixtures.serviceJob("racing")).path("id");
    // As if a pass had applied revision 2 after the observer read the cache it is writing from
    // (this class's reconciler does not run: its tests drive the store themselves).
    Db.execute(
        "update jobs set applied_revision = 2, last_stable_revision = 1,"
            + " reconciled_generation = generation, reconcile_failures = 0 where id = ?",
        UUID.fromString(id));
    StatusStore status = new StatusStore(new ReconcileStore(db));
    Observed.Replicas ready = new Observed.Replicas(2, 2, 2, 2, 2, false, null, List.of());
    assertEquals(io.sluice.job.JobPhase.READY, ready.phase());

    status.recordReplicas(UUID.fromString(id), ready, 1);
    assertEquals(
        1,
        Db.count("select last_stable_revision from jobs where id = ?", UUID.fromString(id)),
        "revision 1's ready Deployment says nothing of revision 2");

    status.recordReplicas(UUID.fromString(id), ready, 2);
    assertEquals(
        2, Db.count("select last_stable_revision from jobs where id = ?", UUID.fromString(id)));
  }

  @Test
  void anObservationOfAWorkloadThatChangesNothingWritesNothing() {
    UUID id = UUID.fromString(createJobOk(ns, Fixtures.serviceJob("watched")).path("id"));
    markApplied(id);
    StatusStore status = new StatusStore(new ReconcileStore(db));
    Observed.Replicas ready = new Observed.Replicas(2, 2, 2, 2, 2, false, null, List.of());
    status.recordReplicas(id, ready, 1);
    long written = Db.jobRowVersion(id);
    assertEquals(2, Db.count("select ready_replicas from jobs where id = ?", id));
    assertEquals(1, Db.count("select last_stable_revision from jobs where id = ?", id));

    // As a restarted Sluice's watches list the same Deployment again: the row is not rewritten.
    status.recordReplicas(id, ready, 1);
    status.recordReplicas(id, ready, null);
    assertEquals(written, Db.jobRowVersion(id), "the same readiness again writes nothing");

    // Each change is written: readiness, then what the pods report.
    status.recordReplicas(id, new Observed.Replicas(2, 1, 2, 1, 2, false, null, List.of()), 1);
    assertEquals(1, Db.count("select ready_replicas from jobs where id = ?", id));
    long lessReady = Db.jobRowVersion(id);
    assertNotEquals(written, lessReady);
    status.recordReplicas(
        id,
        new Observed.Replicas(2, 1, 2, 1, 2, false, null, List.of())
            .withIssues(
                List.of(
                    new io.sluice.job.PodIssue(
                        "watched-abc", "web", "CrashLoopBackOff", "back-off restarting", 1, 3))),
        1);
    assertNotEquals(lessReady, Db.jobRowVersion(id), "a new pod issue is written");
    assertEquals(
        1, Db.count("select count(*) from jobs where id = ? and pod_issues is not null", id));
  }

  @Test
  void manyJobsReadinessIsWrittenInOneCallAsEachAloneWouldBe() {
    List<UUID> ids = new ArrayList<>();
    for (String name : List.of("one", "two", "unapplied")) {
      ids.add(UUID.fromString(createJobOk(ns, Fixtures.serviceJob(name)).path("id")));
    }
    for (UUID id : ids.subList(0, 2)) {
      markApplied(id);
    }
    StatusStore status = new StatusStore(new ReconcileStore(db));
    Observed.Replicas ready = new Observed.Replicas(2, 2, 2, 2, 2, false, null, List.of());
    status.recordReplicas(ids.stream().map(id -> new StatusStore.Readiness(id, ready, 1)).toList());
    for (UUID id : ids.subList(0, 2)) {
      assertEquals(2, Db.count("select ready_replicas from jobs where id = ?", id));
      assertEquals(1, Db.count("select last_stable_revision from jobs where id = ?", id));
    }
    assertEquals(
        0,
        Db.count(
            "select count(*) from jobs where id = ? and ready_replicas is not null", ids.get(2)),
        "a job not yet applied keeps its pending status");

    long first = Db.jobRowVersion(ids.get(0));
    Observed.Replicas lessReady = new Observed.Replicas(2, 1, 2, 1, 2, false, null, List.of());
    status.recordReplicas(
        List.of(
            new StatusStore.Readiness(ids.get(0), ready, 1),
            new StatusStore.Readiness(ids.get(1), lessReady, 1)));
    assertEquals(first, Db.jobRowVersion(ids.get(0)), "the same readiness again writes nothing");
    assertEquals(1, Db.count("select ready_replicas from jobs where id = ?", ids.get(1)));
  }

  @Test
  void readinessThatDeadlocksWithAnotherWriterIsWrittenAJobAtATime() {
    List<UUID> ids = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      UUID id = UUID.fromString(createJobOk(ns, Fixtures.serviceJob(name)).path("id"));
      markApplied(id);
      ids.add(id);
    }
    StatusStore status = new StatusStore(new ReconcileStore(db));
    Observed.Replicas ready = new Observed.Replicas(2, 2, 2, 2, 2, false, null, List.of());
    // PostgreSQL aborts the statement that closes a cycle of row locks: here, the first one.
    Db.withTriggerOnce(
        "deadlock_" + ns.replace('-', '_'),
        "UPDATE",
        "jobs",
        "NEW.namespace = '" + ns + "'",
        "RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = 'deadlock_detected'",
        () ->
            status.recordReplicas(
                ids.stream().map(id -> new StatusStore.Readiness(id, ready, 1)).toList()));
    assertEquals(
        3,
        Db.count(
            "select count(*) from jobs where namespace = ? and ready_replicas = 2 and phase = 'READY'",
            ns));
  }

  /** As if a pass had applied the job's revision 1 (this class's reconciler does not run). */
  private static void markApplied(UUID id) {
    Db.execute(
        "update jobs set applied_revision = 1, reconciled_generation = generation,"
            + " reconcile_failures = 0 where id = ?",
        id);
  }

  @Test
  void anObservationThatChangesNothingTakesNoLockAndOneThatDoesWaitsForIt() throws Exception {
    UUID jobId = UUID.fromString(createJobOk(ns, Fixtures.batchJob("observed")).path("id"));
    request().post(jobPath(ns, "observed") + "/runs").then().statusCode(201);
    StatusStore status = new StatusStore(new ReconcileStore(db));
    var pending =
        new Observed.RunStatus(io.sluice.run.RunPhase.PENDING, null, null, 0, null, null, null);
    var running =
        new Observed.RunStatus(
            io.sluice.run.RunPhase.RUNNING, java.time.Instant.now(), null, 0, null, null, null);
    var observer = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (java.sql.Connection holder = db.getConnection()) {
      // Another writer holds the run's row, as a pass recording it does.
      holder.setAutoCommit(false);
      try (var lock =
          holder.prepareStatement(
              "select 1 from runs where job_id = ? and number = 1 for update")) {
        lock.setObject(1, jobId);
        lock.executeQuery().close();
      }

      observer.submit(() -> status.recordRun(jobId, 1, pending)).get(5, TimeUnit.SECONDS);

      var change = observer.submit(() -> status.recordRun(jobId, 1, running));
      Thread.sleep(300);
      assertFalse(change.isDone(), "a change to the run waits for the row's lock");
      holder.rollback();
      change.get(5, TimeUnit.SECONDS);
    } finally {
      observer.shutdownNow();
    }
    assertEquals(
        1,
        Db.count(
            "select count(*) from runs where job_id = ? and number = 1 and phase = 'RUNNING'",
            jobId));
  }

  @Test
  void aWorkerWhoseLeaseExpiredWritesNothing() throws Exception {
    String id = createJobOk(ns, Fixtures.serviceJob("fenced")).path("id");
    ReconcileStore store = new ReconcileStore(db);
    UUID jobId = UUID.fromString(id);
    ReconcileStore.Claim stale = claim(store, "slow-worker", jobId, Duration.ofMillis(200));
    Thread.sleep(400);
    ReconcileStore.Claim fresh = claim(store, "fast-worker", jobId, Duration.ofSeconds(30));
    assertTrue(fresh.token() > stale.token(), "the claim token is a fencing token");

    Snapshot snapshot = fresh.snapshot();
    var applied =
        new ReconcileStore.Applied(
            1, io.sluice.job.JobPhase.READY, "stale write", 1, 1, List.of(), List.of(), List.of());
    assertFalse(
        store.recordApplied(stale, snapshot, applied, Duration.ofMinutes(5), null),
        "a fenced worker updates 0 rows");
    assertEquals(
        0, Db.count("select count(*) from jobs where id = ? and message = 'stale write'", jobId));
    assertTrue(store.recordApplied(fresh, snapshot, applied, Duration.ofMinutes(5), null));
  }

  @Test
  void unchangedPassesRecordedTogetherAreEachFencedByTheirOwnClaim() throws Exception {
    UUID fenced = UUID.fromString(createJobOk(ns, Fixtures.serviceJob("batch-fenced")).path("id"));
    UUID held = UUID.fromString(createJobOk(ns, Fixtures.serviceJob("batch-held")).path("id"));
    ReconcileStore store = new ReconcileStore(db);
    ReconcileStore.Claim other = claim(store, "slow-worker", held, Duration.ofSeconds(30));
    ReconcileStore.Claim stale = claim(store, "slow-worker", fenced, Duration.ofMillis(200));
    Thread.sleep(400);
    ReconcileStore.Claim fresh = claim(store, "fast-worker", fenced, Duration.ofSeconds(30));
    var applied =
        new ReconcileStore.Applied(
            1,
            io.sluice.job.JobPhase.READY,
            "recorded together",
            2,
            2,
            List.of(),
            List.of(),
            List.of());
    byte[] fingerprint = new byte[] {1, 2, 3};
    int written =
        store.recordUnchanged(
            List.of(
                new ReconcileStore.Unchanged(
                    stale, stale.snapshot(), applied, Duration.ofHours(1), fingerprint),
                new ReconcileStore.Unchanged(
                    other, other.snapshot(), applied, Duration.ofHours(1), fingerprint)));
    assertEquals(1, written, "the record whose claim was taken over writes nothing");
    assertEquals(
        0,
        Db.count(
            "select count(*) from jobs where id = ? and message = 'recorded together'", fenced));
    assertEquals(
        1,
        Db.count(
            "select count(*) from jobs where id = ? and message = 'recorded together'"
                + " and claimed_by is null and ready_replicas = 2"
                + " and next_reconcile_at > now() + interval '50 minutes'"
                + " and pass_fingerprint = '\\x010203'::bytea",
            held));
    assertTrue(store.recordApplied(fresh, fresh.snapshot(), applied, Duration.ZERO, null));
  }

  @Test
  void aCrashBetweenApplyingAndRecordingConvergesToOneJobPerRun() {
    AtomicInteger crashes = new AtomicInteger();
    Replica replica = new Replica("crashy", Reconciler::new);
    replicas.add(replica);
    replica.reconciler.onAfterApply(
        claim -> {
          if (crashes.getAndIncrement() < 2) {
            throw new IllegalStateException(
                "simulated crash after the Kubernetes call, before the status write");
          }
        });
    String id = createJobOk(ns, Fixtures.batchJob("resilient")).path("id");
    request().post(jobPath(ns, "resilient") + "/runs").then().statusCode(201);

    eventually(
        () ->
            assertEquals(
                1,
                Db.count(
                    "select count(*) from runs where job_id = ? and submitted_at is not null",
                    UUID.fromString(id))));
    assertTrue(crashes.get() >= 2, "the hook fired");
    assertEquals(
        1,
        client.batch().v1().jobs().inNamespace(ns).list().getItems().size(),
        "exactly one Kubernetes Job");
    assertEquals(1, Db.count("select count(*) from runs where job_id = ?", UUID.fromString(id)));
  }

  /** A crash after the Kubernetes call and before the status write. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("simulated crash between applying and recording", null, false, false);
    }
  }

  private static ReconcileStore.Claim claim(
      ReconcileStore store, String worker, UUID jobId, Duration lease) {
    // Other jobs may be due too (claims take the longest-due first), and a pass may leave this one
    // due only at its next resync: make it the longest-due job until this worker holds it.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Db.execute(
          "update jobs set next_reconcile_at = now() - interval '1 day' where id = ?", jobId);
      ReconcileStore.Claim found = null;
      for (ReconcileStore.Claim c : store.claimDue(worker, 50, lease)) {
        if (c.jobId().equals(jobId)) {
          found = c;
        } else {
          // Every other job claimed on the way is given back, also after this one was found.
          store.release(c, Duration.ZERO);
        }
      }
      if (found != null) {
        return found;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("job never became claimable");
  }
}
