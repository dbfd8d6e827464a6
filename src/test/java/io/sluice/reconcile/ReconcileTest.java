package io.sluice.reconcile;

import static io.sluice.support.Api.*;
import static io.sluice.support.Cluster.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.render.Labels;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stored job becomes Kubernetes objects, stays that way, and its status flows back. */
@QuarkusTest
@WithKubernetesTestServer
class ReconcileTest {
  @Inject KubernetesClient client;
  @Inject @KubernetesClientObjectMapper ObjectMapper clientMapper;
  @KubernetesTestServer KubernetesServer server;

  private final String ns = Fixtures.namespace();

  @Test
  void theClientWritesObjectsThroughBlackbird() throws Exception {
    KubernetesJsonTest.assertNoReflectiveWriters(clientMapper);
  }

  @Test
  void theClientReadsThroughSluicesSerializationKnowingEveryKind() {
    var serialization = client.getKubernetesSerialization();
    assertInstanceOf(KubernetesReading.class, serialization);
    // The kinds Quarkus' build found, registered as its own producer registers them.
    assertEquals(
        io.fabric8.kubernetes.api.model.batch.v1.Job.class,
        serialization.getRegisteredKubernetesResource("batch/v1", "Job"));
    assertEquals(
        WatchEventObjects.Mixin.class,
        clientMapper.findMixInClassFor(io.fabric8.kubernetes.api.model.WatchEvent.class));
  }

  @Test
  void serviceJobBecomesADeploymentAndAServiceOwnedByIt() {
    Map<String, Object> body =
        Fixtures.with(Fixtures.serviceJob("enrich"), "spec.config", Map.of("app.yaml", "x: 1"));
    String id = createJobOk(ns, body).path("id");

    Deployment d = exists(() -> deployment("enrich"));
    assertEquals(2, d.getSpec().getReplicas());
    assertEquals(Map.of(Labels.JOB_ID, id), d.getSpec().getSelector().getMatchLabels());
    assertEquals("sluice", d.getMetadata().getLabels().get(Labels.MANAGED_BY));
    assertEquals("processing", d.getMetadata().getLabels().get(Labels.COMPONENT));
    assertEquals("analytics", d.getMetadata().getLabels().get("team"));
    assertEquals("1", d.getMetadata().getAnnotations().get(Labels.REVISION_ANNOTATION));
    Container main = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("ghcr.io/acme/enrich:2.1.0", main.getImage());
    assertEquals(false, main.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), main.getSecurityContext().getCapabilities().getDrop());
    assertEquals("/etc/sluice/config", main.getVolumeMounts().get(0).getMountPath());
    String configMap =
        d.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName();
    assertNotNull(exists(() -> client.configMaps().inNamespace(ns).withName(configMap).get()));

    Service svc = exists(() -> client.services().inNamespace(ns).withName("enrich").get());
    assertEquals(8080, svc.getSpec().getPorts().get(0).getPort());
    assertEquals(d.getMetadata().getUid(), svc.getMetadata().getOwnerReferences().get(0).getUid());

    eventually(
        () ->
            getJob(ns, "enrich")
                .then()
                .body("status.appliedRevision", is(1))
                .body("status.phase", is("PROGRESSING"))
                .body("status.conditions.find { it.type == 'Applied' }.status", is("True")));
  }

  @Test
  void phaseBecomesReadyWhenTheClusterReportsAllReplicasReady() {
    createJobOk(ns, Fixtures.serviceJob("ready"));
    exists(() -> deployment("ready"));
    eventually(() -> getJob(ns, "ready").then().body("status.appliedRevision", is(1)));

    reportRolledOut(client, ns, "ready", 2);

    eventually(
        () ->
            getJob(ns, "ready")
                .then()
                .body("status.phase", is("READY"))
                .body("status.readyReplicas", is(2))
                .body("status.desiredReplicas", is(2)));
  }

  @Test
  void aPassRecordsWhatItsOwnWriteWillShowSoAWatchSeesOneChangeNotTwo() throws Exception {
    String id =
        createJobOk(
                ns,
                Fixtures.with(Fixtures.serviceJob("told"), "spec.config", Map.of("app.yaml", "a")))
            .path("id");
    exists(() -> deployment("told"));
    // The pass writes the job's status as the Deployment it created shows it: none of 2 ready.
    eventually(
        () ->
            getJob(ns, "told")
                .then()
                .body("status.appliedRevision", is(1))
                .body("status.phase", is("PROGRESSING"))
                .body("status.message", is("0/2 replicas ready, 0 updated; rolling out")));
    java.util.UUID job = java.util.UUID.fromString(id);
    long written = io.sluice.support.Db.jobRowVersion(job);

    // The observer reads the same off the Deployment's events, and off a touch by hand that
    // leaves its spec alone: nothing to write. Its ConfigMap's and Service's events feed no status.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("told")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put("example.com/touched", "yes");
              return d;
            });
    Thread.sleep(500);
    assertEquals(
        written,
        io.sluice.support.Db.jobRowVersion(job),
        "an observation that repeats the pass writes nothing");

    reportRolledOut(client, ns, "told", 2);
    eventually(() -> getJob(ns, "told").then().body("status.phase", is("READY")));
    // A watch of the job saw it stored, applied (the pass's write), then ready: no change between.
    assertEquals(
        "ADDED,MODIFIED,MODIFIED",
        io.sluice.support.Db.text(
            "select string_agg(type, ',' order by id) from watch_events"
                + " where kind = 'job' and object_id = ?",
            job));
  }

  @Test
  void updateRollsTheTemplateAndReplacesTheConfigMap() {
    Map<String, Object> body =
        Fixtures.with(Fixtures.serviceJob("roll"), "spec.config", Map.of("k", "v1"));
    createJobOk(ns, body);
    String oldConfig =
        exists(() -> deployment("roll"))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .get(0)
            .getConfigMap()
            .getName();

    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        Fixtures.with((Map<String, Object>) body.get("spec"), "image", "ghcr.io/acme/enrich:2.2.0");
    spec.put("config", Map.of("k", "v2"));
    spec.remove("ports");
    request().body(Map.of("spec", spec)).put(jobPath(ns, "roll")).then().statusCode(200);

    eventually(
        () -> {
          Deployment d = deployment("roll");
          assertEquals(
              "ghcr.io/acme/enrich:2.2.0",
              d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
          assertEquals("2", d.getMetadata().getAnnotations().get(Labels.REVISION_ANNOTATION));
          assertNotEquals(
              oldConfig,
              d.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName());
        });
    gone(() -> client.configMaps().inNamespace(ns).withName(oldConfig).get());
    gone(() -> client.services().inNamespace(ns).withName("roll").get());
    eventually(() -> getJob(ns, "roll").then().body("status.appliedRevision", is(2)));
  }

  @Test
  void aDeploymentDeletedByHandIsRestored() {
    createJobOk(ns, Fixtures.serviceJob("phoenix"));
    String uid = exists(() -> deployment("phoenix")).getMetadata().getUid();
    eventually(() -> getJob(ns, "phoenix").then().body("status.appliedRevision", is(1)));

    client.apps().deployments().inNamespace(ns).withName("phoenix").delete();

    eventually(
        () -> {
          Deployment d = deployment("phoenix");
          assertNotNull(d);
          assertNotEquals(uid, d.getMetadata().getUid());
        });
  }

  @Test
  void aReadinessWriteTheDatabaseRefusesIsTriedAgainNotDropped() {
    createJobOk(ns, Fixtures.serviceJob("retried"));
    exists(() -> deployment("retried"));
    eventually(() -> getJob(ns, "retried").then().body("status.appliedRevision", is(1)));
    // The first write of the ready Deployment fails, as it would with the database away for a
    // moment; nothing about the Deployment changes after it.
    long attempts =
        io.sluice.support.Db.withTriggerOnce(
            "refuse_" + ns.replace('-', '_'),
            "UPDATE",
            "jobs",
            "NEW.namespace = '" + ns + "' AND NEW.ready_replicas = 2",
            "RAISE EXCEPTION 'simulated outage' USING ERRCODE = 'admin_shutdown'",
            () -> {
              reportRolledOut(client, ns, "retried", 2);
              eventually(() -> getJob(ns, "retried").then().body("status.phase", is("READY")));
            });
    assertTrue(attempts >= 2, "the write was refused once, then made again");
  }

  @Test
  void aServiceRestoredUnderAReadyDeploymentLeavesTheJobReady() {
    createJobOk(ns, Fixtures.serviceJob("steady"));
    exists(() -> deployment("steady"));
    eventually(() -> getJob(ns, "steady").then().body("status.appliedRevision", is(1)));
    reportRolledOut(client, ns, "steady", 2);
    eventually(() -> getJob(ns, "steady").then().body("status.phase", is("READY")));
    String uid = client.services().inNamespace(ns).withName("steady").get().getMetadata().getUid();

    client.services().inNamespace(ns).withName("steady").delete();

    eventually(
        () -> {
          Service svc = client.services().inNamespace(ns).withName("steady").get();
          assertNotNull(svc);
          assertNotEquals(uid, svc.getMetadata().getUid());
        });
    // The pass that put the Service back rolled nothing out: the job reads as its Deployment does.
    eventually(
        () ->
            getJob(ns, "steady")
                .then()
                .body("status.phase", is("READY"))
                .body("status.message", is("2/2 replicas ready")));
  }

  @Test
  void aDeploymentEditedByHandIsPutBack() {
    createJobOk(ns, Fixtures.serviceJob("tamper"));
    exists(() -> deployment("tamper"));
    eventually(() -> getJob(ns, "tamper").then().body("status.appliedRevision", is(1)));

    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("tamper")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setImage("evil/miner:latest");
              return d;
            });

    eventually(
        () ->
            assertEquals(
                "ghcr.io/acme/enrich:2.1.0",
                deployment("tamper")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()));
  }

  @Test
  void resyncsOfAnUnchangedJobWriteNothingYetAnEditByHandIsStillPutBack() {
    createJobOk(ns, Fixtures.serviceJob("steady"));
    exists(() -> deployment("steady"));
    eventually(() -> getJob(ns, "steady").then().body("status.appliedRevision", is(1)));
    String version = deployment("steady").getMetadata().getResourceVersion();

    // The pass that created the objects knows what it left behind: already the first resync
    // skips rendering and comparing.
    double skipped = unchangedPasses();
    resync("steady");
    assertTrue(unchangedPasses() > skipped, "the first resync after creating is a cheap pass");
    for (int i = 0; i < 2; i++) {
      resync("steady");
    }
    assertEquals(version, deployment("steady").getMetadata().getResourceVersion());

    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("steady")
        .edit(
            d -> {
              d.getSpec().setReplicas(7);
              return d;
            });
    resync("steady");
    eventually(() -> assertEquals(2, deployment("steady").getSpec().getReplicas()));
  }

  @Test
  void theFingerprintOfAPassIsKeptInItsRowSoAnotherProcessOrRendererIsTold() {
    createJobOk(ns, Fixtures.serviceJob("kept"));
    exists(() -> deployment("kept"));
    eventually(() -> getJob(ns, "kept").then().body("status.appliedRevision", is(1)));
    resync("kept");
    byte[] kept = fingerprint("kept");
    assertNotNull(kept, "the pass that applied the job wrote what it left behind");

    // What a Sluice process that never saw this job reads: a resync is as cheap as in the process
    // that created it (nothing of it is kept in memory).
    double skipped = unchangedPasses();
    resync("kept");
    assertTrue(unchangedPasses() > skipped, "the stored fingerprint alone lets a pass skip");
    assertArrayEquals(kept, fingerprint("kept"));

    // A fingerprint another renderer version wrote matches nothing: the whole pass runs (and,
    // the objects being as this renderer renders them, writes nothing and leaves the same one).
    String version = deployment("kept").getMetadata().getResourceVersion();
    double applied = passes("applied");
    io.sluice.support.Db.execute(
        "UPDATE jobs SET pass_fingerprint = sha256('renderer 0') WHERE namespace = ? AND name = ?",
        ns,
        "kept");
    resync("kept");
    assertTrue(passes("applied") > applied, "a full pass ran");
    assertArrayEquals(kept, fingerprint("kept"));
    assertEquals(version, deployment("kept").getMetadata().getResourceVersion());
  }

  private byte[] fingerprint(String name) {
    return io.sluice.support.Db.bytes(
        "SELECT pass_fingerprint FROM jobs WHERE namespace = ? AND name = ?", ns, name);
  }

  /** Passes that found the job and its objects as the last pass left them (from Prometheus). */
  private static double unchangedPasses() {
    return passes("unchanged");
  }

  /** Passes of one outcome so far (from Prometheus). */
  private static double passes(String outcome) {
    String metrics =
        io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "(?m)^sluice_reconcile_duration_seconds_count\\{outcome=\""
                    + outcome
                    + "\"} (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** Makes the job due now and waits until a pass has recorded it. */
  private void resync(String name) {
    io.sluice.support.Db.execute(
        "UPDATE jobs SET next_reconcile_at = now(), last_seen = now() - interval '1 hour'"
            + " WHERE namespace = ? AND name = ?",
        ns,
        name);
    eventually(
        () ->
            assertEquals(
                1,
                io.sluice.support.Db.count(
                    "SELECT count(*) FROM jobs WHERE namespace = ? AND name = ?"
                        + " AND last_seen > now() - interval '1 minute'",
                    ns,
                    name)));
  }

  @Test
  void aForeignObjectWithTheSameNameIsNeverTouched() {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("taken")
                .withNamespace(ns)
                .addToLabels("owner", "someone-else")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "x")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "x")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    createJobOk(ns, Fixtures.serviceJob("taken"));

    eventually(
        () ->
            getJob(ns, "taken")
                .then()
                .body("status.phase", is("DEGRADED"))
                .body("status.message", containsString("not managed by Sluice"))
                .body(
                    "status.conditions.find { it.type == 'Applied' }.reason", is("ForeignObject")));
    Deployment foreign = deployment("taken");
    assertEquals(
        "nginx", foreign.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertNull(foreign.getMetadata().getLabels().get(Labels.MANAGED_BY));
    request()
        .get(jobPath(ns, "taken") + "/events")
        .then()
        .body("items.action", hasItem("job.apply-failed"));
  }

  @Test
  void statefulJobGetsAStatefulSetWithClaimTemplatesAndAHeadlessService() {
    createJobOk(ns, Fixtures.statefulJob("warehouse"));

    StatefulSet sts =
        exists(() -> client.apps().statefulSets().inNamespace(ns).withName("warehouse").get());
    assertEquals("warehouse", sts.getSpec().getServiceName());
    assertEquals("data", sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
    assertEquals(
        "20Gi",
        sts.getSpec()
            .getVolumeClaimTemplates()
            .get(0)
            .getSpec()
            .getResources()
            .getRequests()
            .get("storage")
            .toString());
    assertEquals(
        "Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
    Service headless = exists(() -> client.services().inNamespace(ns).withName("warehouse").get());
    assertEquals("None", headless.getSpec().getClusterIP());
  }

  @Test
  void scheduledJobGetsACronJob() {
    createJobOk(ns, Fixtures.scheduledJob("nightly", "0 3 * * *"));

    CronJob cron =
        exists(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("nightly").get());
    assertEquals("0 3 * * *", cron.getSpec().getSchedule());
    assertEquals("Forbid", cron.getSpec().getConcurrencyPolicy());
    assertEquals(
        "Never",
        cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getRestartPolicy());
    eventually(() -> getJob(ns, "nightly").then().body("status.phase", is("READY")));
  }

  @Test
  void batchJobGetsItsClaimsAndConfigButNoWorkloadUntilARun() {
    createJobOk(ns, Fixtures.batchJob("ingest"));

    PersistentVolumeClaim pvc =
        exists(
            () -> client.persistentVolumeClaims().inNamespace(ns).withName("ingest.staging").get());
    assertEquals("5Gi", pvc.getSpec().getResources().getRequests().get("storage").toString());
    eventually(() -> getJob(ns, "ingest").then().body("status.phase", is("READY")));
    assertTrue(client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
  }

  @Test
  void deleteRemovesObjectsButKeepsVolumesAndHistory() {
    createJobOk(ns, Fixtures.with(Fixtures.batchJob("tidy"), "spec.config", Map.of("a", "b")));
    exists(() -> client.persistentVolumeClaims().inNamespace(ns).withName("tidy.staging").get());
    eventually(() -> assertEquals(1, client.configMaps().inNamespace(ns).list().getItems().size()));

    request().delete(jobPath(ns, "tidy")).then().statusCode(202);

    eventually(() -> assertTrue(client.configMaps().inNamespace(ns).list().getItems().isEmpty()));
    assertNotNull(client.persistentVolumeClaims().inNamespace(ns).withName("tidy.staging").get());
  }

  @Test
  void deleteWithPurgeVolumesRemovesClaimsToo() {
    createJobOk(ns, Fixtures.batchJob("wipe"));
    exists(() -> client.persistentVolumeClaims().inNamespace(ns).withName("wipe.staging").get());
    eventually(() -> getJob(ns, "wipe").then().body("status.phase", is("READY")));

    request().delete(jobPath(ns, "wipe") + "?purgeVolumes=true").then().statusCode(202);

    gone(() -> client.persistentVolumeClaims().inNamespace(ns).withName("wipe.staging").get());
  }

  @Test
  void kubernetesOutageIsVisibleAndConvergesWhenItEnds() {
    server
        .expect()
        .post()
        .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd timeout\"}")
        .times(4);

    createJobOk(ns, Fixtures.serviceJob("flaky")).then().body("status.phase", is("PENDING"));

    eventually(
        () ->
            getJob(ns, "flaky")
                .then()
                .body("status.phase", is("PENDING"))
                .body("status.message", containsString("HTTP 500"))
                .body("status.message", not(containsString("etcd")))
                .body("status.conditions.find { it.type == 'Applied' }.status", is("False")));
    exists(() -> deployment("flaky"));
    eventually(
        () ->
            getJob(ns, "flaky")
                .then()
                .body("status.appliedRevision", is(1))
                .body("status.conditions.find { it.type == 'Applied' }.status", is("True")));
    request()
        .get(jobPath(ns, "flaky") + "/events")
        .then()
        .body("items.action", hasItems("job.apply-failed", "job.applied"));
    assertEquals(1, client.apps().deployments().inNamespace(ns).list().getItems().size());
  }

  @Test
  void aKubernetesApiThatHangsIsGivenUpOnAndRetried() {
    server
        .expect()
        .post()
        .delay(6, java.util.concurrent.TimeUnit.SECONDS)
        .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments")
        .andReturn(500, "{}")
        .once();

    createJobOk(ns, Fixtures.serviceJob("slow"));

    eventually(
        () ->
            getJob(ns, "slow")
                .then()
                .body("status.message", containsString("no response"))
                .body("status.conditions.find { it.type == 'Applied' }.status", is("False")));
    exists(() -> deployment("slow"));
    eventually(() -> getJob(ns, "slow").then().body("status.appliedRevision", is(1)));
    assertEquals(1, client.apps().deployments().inNamespace(ns).list().getItems().size());
  }

  @Test
  void manifestsShowWhatWouldBeAppliedForAnyRevision() {
    createJobOk(ns, Fixtures.serviceJob("preview"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        Fixtures.with((Map<String, Object>) Fixtures.serviceJob("x").get("spec"), "image", "img:2");
    request().body(Map.of("spec", spec)).put(jobPath(ns, "preview")).then().statusCode(200);

    String current =
        io.sluice.support.Api.authorized()
            .get(jobPath(ns, "preview") + "/manifests")
            .then()
            .statusCode(200)
            .contentType("application/yaml")
            .extract()
            .asString();
    assertTrue(
        current.contains("kind: \"Deployment\"") || current.contains("kind: Deployment"), current);
    assertTrue(current.contains("img:2"), current);
    String first =
        io.sluice.support.Api.authorized()
            .get(jobPath(ns, "preview") + "/manifests?revision=1")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(first.contains("ghcr.io/acme/enrich:2.1.0"), first);
    io.sluice.support.Api.authorized()
        .get(jobPath(ns, "preview") + "/manifests?revision=7")
        .then()
        .statusCode(404);
  }

  @Test
  void anUpdateThatLosesAResourceVersionRaceIsRetriedAgainstAFreshRead() {
    createJobOk(ns, Fixtures.serviceJob("racy"));
    exists(() -> deployment("racy"));
    eventually(() -> getJob(ns, "racy").then().body("status.appliedRevision", is(1)));
    server
        .expect()
        .put()
        .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments/racy")
        .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}")
        .once();

    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        Fixtures.with(
            (Map<String, Object>) Fixtures.serviceJob("x").get("spec"), "image", "img:race");
    request().body(Map.of("spec", spec)).put(jobPath(ns, "racy")).then().statusCode(200);

    eventually(
        () ->
            assertEquals(
                "img:race",
                deployment("racy")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()));
    eventually(
        () ->
            getJob(ns, "racy")
                .then()
                .body("status.appliedRevision", is(2))
                .body("status.conditions.find { it.type == 'Applied' }.status", is("True")));
  }

  @Test
  void theCrudTestServerRefusesAStaleReplace() {
    // Documents the test server (fabric8 7.5.2, CRUD mode) as measured here: a PUT carrying a
    // stale resourceVersion is refused with 409, like a real API server. The Applier relies on
    // that; if an upgrade stops enforcing it, this fails and the conflict path above (which
    // uses an expectation) is the only remaining coverage.
    Deployment created =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("stale")
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .endSpec()
                    .build())
            .create();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("stale")
        .edit(
            d -> {
              d.getSpec().setReplicas(2);
              return d;
            });
    Deployment stale = new DeploymentBuilder(created).editSpec().withReplicas(3).endSpec().build();
    var refused =
        assertThrows(
            io.fabric8.kubernetes.client.KubernetesClientException.class,
            () -> client.resource(stale).update());
    assertEquals(409, refused.getCode());
  }

  @Test
  void objectsOfAJobPostgresDoesNotKnowAreCollectedButClaimsAreKept() {
    String unknown = java.util.UUID.randomUUID().toString();
    Map<String, String> labels = Map.of(Labels.MANAGED_BY, "sluice", Labels.JOB_ID, unknown);
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("ghost-config")
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("ghost-data")
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    createJobOk(ns, Fixtures.with(Fixtures.batchJob("known"), "spec.config", Map.of("a", "b")));

    gone(() -> client.configMaps().inNamespace(ns).withName("ghost-config").get());
    assertNotNull(
        client.persistentVolumeClaims().inNamespace(ns).withName("ghost-data").get(),
        "data is never collected");
    eventually(
        () ->
            assertEquals(
                1,
                client.configMaps().inNamespace(ns).list().getItems().size(),
                "a known job keeps its objects"));
  }

  @Test
  void readinessIncludesTheKubernetesWatches() {
    eventually(
        () ->
            io.restassured.RestAssured.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'kubernetes-watches' }.status", is("UP"))
                .body("checks.find { it.name == 'kubernetes-watches' }.data.synced", is(true)));
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }
}
