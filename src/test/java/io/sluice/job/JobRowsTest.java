package io.sluice.job;

import static io.sluice.support.Api.createJobOk;
import static io.sluice.support.Cluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Saving a job writes only what the service changed in it: columns another writer set since the row
 * was read (the reconciler's status) survive, and the version — the ETag — moves once per change
 * and not at all for none.
 */
@QuarkusTest
@WithKubernetesTestServer
class JobRowsTest {
  private final String ns = Fixtures.namespace();

  @Inject JobRepository jobs;
  @Inject DataSource db;

  @Test
  void aSaveWritesOnlyTheChangedColumnsAndBumpsTheVersionOnce() {
    UUID id = UUID.fromString(createJobOk(ns, Fixtures.batchJob("partial")).path("id"));
    // The reconciler's pass writes the status columns too: let the job's first pass finish and
    // record itself, so the only other writer is the one below (the next pass is a resync away).
    eventually(
        () ->
            assertEquals(
                1,
                Db.count(
                    "select count(*) from jobs where id = ? and applied_revision = 1"
                        + " and claimed_by is null",
                    id)));
    long before = Db.count("select version from jobs where id = ?", id);

    long saved =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  JobEntity job = jobs.lockLive(ns, "partial").orElseThrow();
                  // Another writer's columns, changed after the read (here in the same
                  // transaction, since the row lock keeps everyone else out until commit).
                  try (Connection c = db.getConnection();
                      PreparedStatement ps =
                          c.prepareStatement(
                              "UPDATE jobs SET ready_replicas = 7, last_stable_revision = 1,"
                                  + " message = 'written after the read' WHERE id = ?")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                  }
                  job.scaleReplicas = 3;
                  jobs.save(job);
                  jobs.save(job); // nothing changed since the first save: writes nothing
                  return job.version;
                });

    assertEquals(before + 1, saved);
    assertEquals(before + 1, Db.count("select version from jobs where id = ?", id));
    assertEquals(3, Db.count("select scale_replicas from jobs where id = ?", id));
    assertEquals(7, Db.count("select ready_replicas from jobs where id = ?", id));
    assertEquals(1, Db.count("select last_stable_revision from jobs where id = ?", id));
    assertEquals(
        1,
        Db.count(
            "select count(*) from jobs where id = ? and message = 'written after the read'", id));
  }

  @Test
  void aJobNotReadFromTheTableCannotBeSaved() {
    JobEntity made = new JobEntity();
    made.id = UUID.randomUUID();
    made.name = "never-read";
    assertThrows(
        IllegalStateException.class,
        () -> QuarkusTransaction.requiringNew().run(() -> jobs.save(made)));
  }
}
