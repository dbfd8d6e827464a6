package io.sluice.run;

import static io.sluice.support.Api.createJobOk;
import static io.sluice.support.Api.jobsPath;
import static io.sluice.support.Api.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import org.junit.jupiter.api.Test;

/** A deleted job's unfinished runs end, with a reason, instead of waiting forever. */
@QuarkusTest
@WithKubernetesTestServer
class DeletedJobRunsTest {
  @Test
  void deletingAJobCancelsItsOpenRunsAndSaysWhy() {
    String ns = Fixtures.namespace();
    createJobOk(ns, Fixtures.batchJob("doomed"));
    for (int i = 0; i < 3; i++) {
      request().post(jobsPath(ns) + "/doomed/runs").then().statusCode(201);
    }
    request().delete(jobsPath(ns) + "/doomed").then().statusCode(202);

    assertEquals(
        3,
        Db.count(
            "select count(*) from runs where namespace = ? and job_name = 'doomed'"
                + " and phase = 'CANCELLED' and reason = 'JobDeleted' and finished_at is not null"
                + " and message like 'The job was deleted by token:test-admin%'",
            ns));
    assertEquals(
        0,
        Db.count(
            "select count(*) from runs where namespace = ? and phase in ('PENDING', 'RUNNING')",
            ns));
  }
}
