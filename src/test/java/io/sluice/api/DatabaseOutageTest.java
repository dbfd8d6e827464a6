package io.sluice.api;

import static io.sluice.support.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Cluster;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import io.sluice.support.PostgresResource;
import org.junit.jupiter.api.Test;

/** PostgreSQL stopped under the running service: 503 while it is down, full service after. */
@QuarkusTest
@WithKubernetesTestServer
class DatabaseOutageTest {
  private final String ns = Fixtures.namespace();

  @Test
  void whileTheDatabaseIsDownRequestsAre503AndNothingIsLost() {
    createJobOk(ns, Fixtures.batchJob("before"));
    // A token that lives in the database, never used yet: verifying it needs PostgreSQL.
    String stored = io.sluice.support.Tokens.issue("operator", ns);
    PostgresResource.stopServer();
    try {
      // Not 401: a client must retry, not give up on its credentials.
      io.sluice.support.Api.as(stored)
          .get(io.sluice.support.Api.jobsPath(ns))
          .then()
          .statusCode(503)
          .header("Retry-After", notNullValue());
      unavailable(createJob(ns, Fixtures.batchJob("during")));
      getJob(ns, "before").then().statusCode(503);
    } finally {
      PostgresResource.restartServer();
    }

    Cluster.eventually(() -> getJob(ns, "before").then().statusCode(200));
    Cluster.eventually(() -> createJob(ns, Fixtures.batchJob("during")).then().statusCode(201));
    assertEquals(2, Db.count("select count(*) from jobs where namespace = ?", ns));
    assertEquals(
        2,
        Db.count(
            "select count(*) from job_revisions r join jobs j on j.id = r.job_id where j.namespace = ?",
            ns));
  }
}
