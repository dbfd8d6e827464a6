package io.sluice.job;

import static io.sluice.support.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.api.Cursor;
import io.sluice.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer
class JobListTest {
  private final String ns = Fixtures.namespace();

  @Test
  void pagesWalkEveryJobOnceInNameOrder() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      names.add("job-" + i);
      createJobOk(ns, Fixtures.batchJob("job-" + i));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response page =
          request().queryParam("limit", 3).queryParam("cursor", cursor).get(jobsPath(ns));
      page.then().statusCode(200);
      seen.addAll(page.path("items.name"));
      cursor = page.path("nextCursor");
      pages++;
    } while (cursor != null);

    assertEquals(names, seen);
    assertEquals(3, pages);
  }

  @Test
  void lastPageHasNoCursor() {
    createJobOk(ns, Fixtures.batchJob("only"));
    Response page = request().get(jobsPath(ns));
    page.then().body("items.name", contains("only"));
    assertNull(page.path("nextCursor"));
  }

  @Test
  void filtersByTypeWorkloadPhaseAndLabels() {
    createJobOk(ns, Fixtures.batchJob("ingest"));
    createJobOk(ns, Fixtures.serviceJob("enrich"));
    createJobOk(ns, Fixtures.statefulJob("store"));
    createJobOk(
        ns,
        Fixtures.with(
            Fixtures.batchJob("gold"), "spec.labels", Map.of("team", "data", "tier", "gold")));

    names("type=processing").then().body("items.name", contains("enrich"));
    names("workload=stateful").then().body("items.name", contains("store"));
    names("workload=batch&type=ingestion").then().body("items.name", contains("gold", "ingest"));
    // Batch jobs are READY once applied; service and stateful ones roll out until pods are ready.
    io.sluice.support.Cluster.eventually(
        () -> names("phase=READY").then().body("items.name", contains("gold", "ingest")));
    io.sluice.support.Cluster.eventually(
        () -> names("phase=PROGRESSING").then().body("items.name", contains("enrich", "store")));
    names("phase=DELETING").then().body("items", empty());
    names("labelSelector=team=data").then().body("items.name", contains("gold", "ingest"));
    names("labelSelector=team=data,tier!=gold").then().body("items.name", contains("ingest"));
    names("labelSelector=tier").then().body("items.name", contains("gold"));
    names("labelSelector=!tier").then().body("items.name", contains("enrich", "ingest", "store"));
    names("labelSelector=team in (analytics,data)")
        .then()
        .body("items.name", contains("enrich", "gold", "ingest"));
    names("labelSelector=team notin (data)").then().body("items.name", contains("enrich", "store"));
  }

  @Test
  void filtersCombineWithPagination() {
    for (int i = 0; i < 5; i++) {
      createJobOk(ns, Fixtures.batchJob("b-" + i));
      createJobOk(ns, Fixtures.serviceJob("s-" + i));
    }
    Response first =
        request().queryParam("workload", "service").queryParam("limit", 2).get(jobsPath(ns));
    first.then().body("items.name", contains("s-0", "s-1"));
    request()
        .queryParam("workload", "service")
        .queryParam("limit", 10)
        .queryParam("cursor", (String) first.path("nextCursor"))
        .get(jobsPath(ns))
        .then()
        .body("items.name", contains("s-2", "s-3", "s-4"));
  }

  @Test
  void listAcrossNamespacesIncludesEveryNamespace() {
    String other = Fixtures.namespace();
    createJobOk(ns, Fixtures.batchJob("mine"));
    createJobOk(other, Fixtures.batchJob("theirs"));
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Response page =
          request().queryParam("limit", 500).queryParam("cursor", cursor).get("/api/v1/jobs");
      seen.addAll(page.path("items.collect { it.namespace + '/' + it.name }"));
      cursor = page.path("nextCursor");
    } while (cursor != null);
    org.hamcrest.MatcherAssert.assertThat(seen, hasItems(ns + "/mine", other + "/theirs"));
    List<String> sorted = new ArrayList<>(seen);
    sorted.sort(null);
    assertEquals(sorted, seen, "all-namespace list is ordered by namespace, then name");
  }

  @Test
  void deletedJobsAreNotListed() {
    createJobOk(ns, Fixtures.batchJob("keep"));
    createJobOk(ns, Fixtures.batchJob("drop"));
    request().delete(jobPath(ns, "drop")).then().statusCode(202);
    request().get(jobsPath(ns)).then().body("items.name", contains("keep"));
  }

  @Test
  void badListParametersAre400() {
    for (String query :
        List.of(
            "limit=0",
            "limit=501",
            "limit=ten",
            "cursor=%%%",
            "cursor=bm90LWEtY3Vyc29y",
            "type=teleport",
            "phase=DONE",
            "labelSelector=team==(x)",
            "labelSelector=a=(b",
            "labelSelector=Bad Key=x")) {
      request()
          .get(jobsPath(ns) + "?" + query)
          .then()
          .log()
          .ifValidationFails()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("reason", is("INVALID_PARAMETER"));
    }
  }

  @Test
  void aCursorOfAnotherListIsRefused() {
    createJobOk(ns, Fixtures.batchJob("a"));
    createJobOk(ns, Fixtures.batchJob("b"));
    String eventsCursor = Cursor.encode("event", "5");
    request().queryParam("cursor", eventsCursor).get(jobsPath(ns)).then().statusCode(400);
  }

  private Response names(String query) {
    Response response = request().get(jobsPath(ns) + "?" + query);
    response.then().statusCode(200);
    return response;
  }
}
