package io.sluice.job;

import static io.sluice.support.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.support.Db;
import io.sluice.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer
class JobCrudTest {
  private final String ns = Fixtures.namespace();

  @Test
  void createStoresJobRevisionAndEventAndAnswers201WithLocation() {
    Response created = createJobOk(ns, Fixtures.batchJob("clicks"));

    created
        .then()
        .header("Location", endsWith(jobPath(ns, "clicks")))
        .header("ETag", "\"0\"")
        .body("name", is("clicks"))
        .body("namespace", is(ns))
        .body("type", is("ingestion"))
        .body("workload", is("batch"))
        .body("revision", is(1))
        .body("version", is(0))
        .body("spec.image", is("ghcr.io/acme/ingest:1.0.0"))
        .body("spec.config.'pipeline.yaml'", is("batchSize: 500\n"))
        .body("status.phase", is("PENDING"))
        .body("createdBy", is("config:test-admin"));
    UUID id = UUID.fromString(created.path("id"));
    assertEquals(1, Db.count("select count(*) from jobs where id = ?", id));
    assertEquals(
        1, Db.count("select count(*) from job_revisions where job_id = ? and revision = 1", id));
    assertEquals(
        1,
        Db.count(
            "select count(*) from audit_events where job_id = ? and action = 'job.created'", id));
  }

  @Test
  void getReturnsTheStoredJobWithItsETag() {
    createJobOk(ns, Fixtures.serviceJob("enrich"));

    getJob(ns, "enrich")
        .then()
        .statusCode(200)
        .header("ETag", "\"0\"")
        .body("workload", is("service"))
        .body("spec.replicas", is(2))
        .body("spec.ports[0].containerPort", is(8080));
  }

  @Test
  void getWithCurrentETagInIfNoneMatchAnswers304() {
    createJobOk(ns, Fixtures.serviceJob("cached"));

    request().header("If-None-Match", "\"0\"").get(jobPath(ns, "cached")).then().statusCode(304);
    request().header("If-None-Match", "\"7\"").get(jobPath(ns, "cached")).then().statusCode(200);
  }

  @Test
  void workloadDefaultsFollowTheType() {
    createJobOk(ns, Fixtures.statefulJob("warehouse")).then().body("workload", is("stateful"));
    Map<String, Object> processing =
        Fixtures.with(Fixtures.batchJob("transform"), "type", "processing");
    createJobOk(ns, processing).then().body("workload", is("batch"));
  }

  @Test
  void secondJobWithTheSameNameIsRefusedWith409AndNothingStored() {
    createJobOk(ns, Fixtures.batchJob("dup"));
    long rows = Db.rowsInNamespace(ns);

    createJob(ns, Fixtures.batchJob("dup"))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("reason", is("JOB_EXISTS"))
        .body("status", is(409))
        .body("detail", containsString("dup"));
    assertEquals(rows, Db.rowsInNamespace(ns));
  }

  @Test
  void sameNameInAnotherNamespaceIsAnotherJob() {
    createJobOk(ns, Fixtures.batchJob("shared"));
    String other = Fixtures.namespace();
    createJobOk(other, Fixtures.batchJob("shared"));

    getJob(other, "shared").then().statusCode(200).body("namespace", is(other));
  }

  @Test
  void putWithANewSpecWritesTheNextRevisionAndBumpsTheETag() {
    createJobOk(ns, Fixtures.batchJob("evolve"));
    Map<String, Object> spec =
        Fixtures.with(Fixtures.batchSpec(), "image", "ghcr.io/acme/ingest:1.1.0");

    request()
        .header("If-Match", "\"0\"")
        .body(Map.of("spec", spec, "changeCause", "bump to 1.1.0"))
        .put(jobPath(ns, "evolve"))
        .then()
        .statusCode(200)
        .header("ETag", "\"1\"")
        .body("revision", is(2))
        .body("spec.image", is("ghcr.io/acme/ingest:1.1.0"));

    request()
        .get(jobPath(ns, "evolve") + "/revisions")
        .then()
        .statusCode(200)
        .body("items.revision", contains(2, 1))
        .body("items[0].changeCause", is("bump to 1.1.0"))
        .body("items[1].spec.image", is("ghcr.io/acme/ingest:1.0.0"));
    request()
        .get(jobPath(ns, "evolve") + "/revisions/1")
        .then()
        .statusCode(200)
        .body("spec.image", is("ghcr.io/acme/ingest:1.0.0"));
  }

  @Test
  void putWithAnEquivalentSpecIsANoOp() {
    createJobOk(ns, Fixtures.batchJob("stable"));
    Map<String, Object> same = Fixtures.with(Fixtures.batchSpec(), "command", List.of());

    request()
        .body(Map.of("spec", same, "changeCause", "nothing really"))
        .put(jobPath(ns, "stable"))
        .then()
        .statusCode(200)
        .header("ETag", "\"0\"")
        .body("revision", is(1));

    String id = getJob(ns, "stable").path("id");
    assertEquals(
        1, Db.count("select count(*) from job_revisions where job_id = ?", UUID.fromString(id)));
    assertEquals(
        0,
        Db.count(
            "select count(*) from audit_events where job_id = ? and action = 'job.updated'",
            UUID.fromString(id)));
  }

  @Test
  void putWithAStaleIfMatchIsRefusedWith412AndChangesNothing() {
    createJobOk(ns, Fixtures.batchJob("guarded"));
    Map<String, Object> v2 = Fixtures.with(Fixtures.batchSpec(), "image", "ghcr.io/acme/ingest:2");
    request().body(Map.of("spec", v2)).put(jobPath(ns, "guarded")).then().statusCode(200);
    Map<String, Object> v3 = Fixtures.with(Fixtures.batchSpec(), "image", "ghcr.io/acme/ingest:3");

    request()
        .header("If-Match", "\"0\"")
        .body(Map.of("spec", v3))
        .put(jobPath(ns, "guarded"))
        .then()
        .statusCode(412)
        .contentType("application/problem+json")
        .body("reason", is("PRECONDITION_FAILED"));
    getJob(ns, "guarded")
        .then()
        .body("revision", is(2))
        .body("spec.image", is("ghcr.io/acme/ingest:2"));
  }

  @Test
  void weakETagNeverSatisfiesIfMatch() {
    createJobOk(ns, Fixtures.batchJob("weak"));
    request()
        .header("If-Match", "W/\"0\"")
        .body(Map.of("spec", Fixtures.batchSpec()))
        .put(jobPath(ns, "weak"))
        .then()
        .statusCode(412);
  }

  @Test
  void putCannotChangeTheWorkloadRules() {
    createJobOk(ns, Fixtures.batchJob("batchy"));
    Map<String, Object> spec = Fixtures.with(Fixtures.batchSpec(), "replicas", 3);

    request()
        .body(Map.of("spec", spec))
        .put(jobPath(ns, "batchy"))
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("spec.replicas"));
  }

  @Test
  void putOnAMissingJobIs404() {
    request()
        .body(Map.of("spec", Fixtures.batchSpec()))
        .put(jobPath(ns, "ghost"))
        .then()
        .statusCode(404)
        .body("reason", is("JOB_NOT_FOUND"));
  }

  @Test
  void deleteHidesTheJobKeepsItsHistoryAndFreesTheName() {
    Response created = createJobOk(ns, Fixtures.batchJob("gone"));
    UUID id = UUID.fromString(created.path("id"));

    request()
        .header("If-Match", "\"0\"")
        .delete(jobPath(ns, "gone"))
        .then()
        .statusCode(202)
        .body("status.phase", is("DELETING"));

    getJob(ns, "gone").then().statusCode(404).body("reason", is("JOB_NOT_FOUND"));
    request().get(jobPath(ns, "gone") + "/revisions").then().statusCode(404);
    assertEquals(1, Db.count("select count(*) from job_revisions where job_id = ?", id));
    assertEquals(
        1,
        Db.count(
            "select count(*) from audit_events where job_id = ? and action = 'job.deleted'", id));
    createJobOk(ns, Fixtures.batchJob("gone")).then().body("id", not(id.toString()));
  }

  @Test
  void deleteWithPurgeVolumesIsRecorded() {
    Response created = createJobOk(ns, Fixtures.batchJob("purged"));
    request().delete(jobPath(ns, "purged") + "?purgeVolumes=true").then().statusCode(202);
    assertEquals(
        1,
        Db.count(
            "select count(*) from jobs where id = ? and purge_volumes and deleted_at is not null",
            UUID.fromString(created.path("id"))));
  }

  @Test
  void deleteWithAStaleIfMatchIs412AndTheJobStays() {
    createJobOk(ns, Fixtures.batchJob("kept"));
    request().header("If-Match", "\"41\"").delete(jobPath(ns, "kept")).then().statusCode(412);
    getJob(ns, "kept").then().statusCode(200);
  }

  @Test
  void deleteOfAMissingJobIs404() {
    request().delete(jobPath(ns, "nobody")).then().statusCode(404);
  }

  @Test
  void revisionThatDoesNotExistIs404AndBadNumberIs400() {
    createJobOk(ns, Fixtures.batchJob("revs"));
    request()
        .get(jobPath(ns, "revs") + "/revisions/9")
        .then()
        .statusCode(404)
        .body("reason", is("REVISION_NOT_FOUND"));
    request().get(jobPath(ns, "revs") + "/revisions/zero").then().statusCode(400);
    request().get(jobPath(ns, "revs") + "/revisions/0").then().statusCode(400);
  }

  @Test
  void eventsListEveryActionNewestFirst() {
    createJobOk(ns, Fixtures.batchJob("audited"));
    Map<String, Object> v2 = Fixtures.with(Fixtures.batchSpec(), "image", "ghcr.io/acme/ingest:2");
    request()
        .body(Map.of("spec", v2, "changeCause", "upgrade"))
        .put(jobPath(ns, "audited"))
        .then()
        .statusCode(200);

    request()
        .get(jobPath(ns, "audited") + "/events")
        .then()
        .statusCode(200)
        .body(
            "items.findAll { it.actor == 'config:test-admin' }.action",
            contains("job.updated", "job.created"))
        .body("items[0].actor", anyOf(is("config:test-admin"), is("sluice")))
        .body("items.find { it.action == 'job.updated' }.outcome", is("success"))
        .body("items.find { it.action == 'job.updated' }.revision", is(2))
        .body("items.find { it.action == 'job.updated' }.message", containsString("upgrade"));
  }

  @Test
  void revisionsAndEventsAreAppendOnlyInTheDatabase() {
    Response created = createJobOk(ns, Fixtures.batchJob("immutable"));
    UUID id = UUID.fromString(created.path("id"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class,
        () ->
            Db.execute("update job_revisions set change_cause = 'rewritten' where job_id = ?", id));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class,
        () -> Db.execute("delete from audit_events where job_id = ?", id));
  }
}
