package io.sluice.api;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.eventually;
import static org.hamcrest.Matchers.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.sluice.support.Fixtures;
import org.junit.jupiter.api.Test;

/** What operators scrape: API latency by route and status, jobs, runs, reconciles. */
@QuarkusTest
@WithKubernetesTestServer
class MetricsTest {
  private final String ns = Fixtures.namespace();

  @Test
  void prometheusSeesTheApiTheReconcilerAndTheJobs() {
    createJobOk(ns, Fixtures.batchJob("metered"));
    request().post(jobPath(ns, "metered") + "/runs").then().statusCode(201);
    getJob(ns, "missing").then().statusCode(404);

    eventually(
        () ->
            RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .body(
                    containsString(
                        "http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"201\",uri=\"/api/v1/namespaces/{namespace}/jobs\"}"))
                .body(
                    containsString(
                        "status=\"404\",uri=\"/api/v1/namespaces/{namespace}/jobs/{name}\""))
                .body(
                    containsString("sluice_reconcile_duration_seconds_count{outcome=\"applied\"}"))
                .body(containsString("sluice_reconcile_in_flight"))
                .body(containsString("sluice_reconcile_queue_depth"))
                .body(containsString("sluice_jobs{phase=\"READY\"}"))
                .body(containsString("sluice_runs_created_total{trigger=\"manual\"}")));
  }
}
