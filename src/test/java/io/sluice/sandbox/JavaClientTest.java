package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.client.ApiClient;
import io.sluice.client.ApiException;
import io.sluice.client.ApiResponse;
import io.sluice.client.api.InfoApi;
import io.sluice.client.api.JobsApi;
import io.sluice.client.api.RolloutApi;
import io.sluice.client.api.RunsApi;
import io.sluice.client.api.TokensApi;
import io.sluice.client.model.CreateJobRequest;
import io.sluice.client.model.CreateRunRequest;
import io.sluice.client.model.CreateTokenRequest;
import io.sluice.client.model.EnvVar;
import io.sluice.client.model.Job;
import io.sluice.client.model.JobList;
import io.sluice.client.model.JobSpec;
import io.sluice.client.model.JobType;
import io.sluice.client.model.Run;
import io.sluice.client.model.RunPhase;
import io.sluice.client.model.ScaleRequest;
import io.sluice.client.model.UpdateJobRequest;
import io.sluice.client.model.Workload;
import io.sluice.support.Api;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The README walk-through through a Java client that OpenAPI Generator (library {@code native})
 * generates from {@code openapi/openapi.yaml} at build time and nobody edits: if the contract and
 * the server disagree, this client throws or lies, and this test fails.
 */
@QuarkusTest
@TestProfile(SandboxScenarioTest.Sandbox.class)
class JavaClientTest {
  @TestHTTPResource("/")
  URL sluice;

  private final String ns = "java-" + UUID.randomUUID().toString().substring(0, 8);

  private ApiClient client(String token) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(URI.create(sluice.toString()).toString().replaceAll("/$", ""));
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    return client;
  }

  private ApiClient client() {
    return client(Api.sandboxToken());
  }

  private static JobSpec batch() {
    return new JobSpec()
        .image("ghcr.io/acme/ingest:1.0")
        .args(List.of("--source", "s3://raw/events"))
        .env(List.of(new EnvVar().name("LOG_LEVEL").value("info")))
        .config(Map.of("pipeline.yaml", "batchSize: 500\n"));
  }

  @Test
  void theWalkThroughWorksThroughAGeneratedJavaClient() throws Exception {
    JobsApi jobs = new JobsApi(client());
    RunsApi runs = new RunsApi(client());
    RolloutApi rollout = new RolloutApi(client());
    assertEquals("sandbox", new InfoApi(client()).getInfo().getMode().getValue());

    // A batch job, a run started twice with one Idempotency-Key, its end and its logs.
    ApiResponse<Job> created =
        jobs.createJobWithHttpInfo(
            ns,
            new CreateJobRequest().name("ingest").type(JobType.INGESTION).spec(batch()),
            "create-ingest");
    assertEquals(201, created.getStatusCode());
    assertEquals(Workload.BATCH, created.getData().getWorkload());
    ApiResponse<Run> first =
        runs.createRunWithHttpInfo(
            ns, "ingest", "nightly-1", new CreateRunRequest().args(List.of("--date", "x")));
    ApiResponse<Run> replay =
        runs.createRunWithHttpInfo(
            ns, "ingest", "nightly-1", new CreateRunRequest().args(List.of("--date", "x")));
    assertEquals(first.getData().getNumber(), replay.getData().getNumber());
    assertEquals(List.of("true"), replay.getHeaders().get("Idempotent-Replayed"));
    int number = first.getData().getNumber();
    Run done =
        until(
            () -> call(() -> runs.getRun(ns, "ingest", number)),
            r -> r.getPhase() == RunPhase.SUCCEEDED || r.getPhase() == RunPhase.FAILED);
    assertEquals(RunPhase.SUCCEEDED, done.getPhase());
    assertTrue(
        runs.getRunLogs(ns, "ingest", number, null, false, null, null, 100, null)
            .contains("Exited with code 0"));

    // A service: scaled, updated, diffed, rolled back; events newest first.
    Job web =
        jobs.createJob(
            ns,
            new CreateJobRequest()
                .name("web")
                .type(JobType.PROCESSING)
                .workload(Workload.SERVICE)
                .spec(new JobSpec().image("ghcr.io/acme/enrich:2.1.0").replicas(1)),
            null);
    ApiResponse<io.sluice.client.model.Scale> scaled =
        rollout.setScaleWithHttpInfo(ns, "web", new ScaleRequest().replicas(3), null);
    assertEquals(3, scaled.getData().getReplicas());
    String etag = scaled.getHeaders().get("ETag").get(0);
    Job updated =
        jobs.replaceJob(
            ns,
            "web",
            new UpdateJobRequest()
                .spec(new JobSpec().image("ghcr.io/acme/enrich:2.2.0").replicas(1)),
            etag);
    assertEquals(2, updated.getRevision());
    assertFalse(rollout.diffRevisions(ns, "web", 1, 2).getChanges().isEmpty());
    Job rolledBack = rollout.rollbackJob(ns, "web", null, null, null);
    assertEquals(3, rolledBack.getRevision());
    assertEquals("ghcr.io/acme/enrich:2.1.0", rolledBack.getSpec().getImage());
    assertEquals(3, rollout.getScale(ns, "web").getReplicas(), "scale survives a rollback");
    var events = jobs.listJobEvents(ns, "web", null, 50).getItems();
    assertEquals("job.created", events.get(events.size() - 1).getAction());

    // The other workloads: a scheduled job and a stateful one.
    Job nightly =
        jobs.createJob(
            ns,
            new CreateJobRequest()
                .name("nightly")
                .type(JobType.INGESTION)
                .workload(Workload.SCHEDULED)
                .spec(batch().schedule("0 3 * * *")),
            null);
    assertEquals(Workload.SCHEDULED, nightly.getWorkload());
    Job warehouse =
        jobs.createJob(
            ns,
            new CreateJobRequest()
                .name("warehouse")
                .type(JobType.STORAGE)
                .spec(new JobSpec().image("ghcr.io/acme/store:1.0").replicas(2)),
            null);
    assertEquals(Workload.STATEFUL, warehouse.getWorkload());

    // A stale If-Match is a 412; a 422 carries its errors; a 304 is an answer, not a failure.
    ApiException stale =
        assertThrows(
            ApiException.class,
            () ->
                jobs.replaceJob(
                    ns,
                    "web",
                    new UpdateJobRequest().spec(new JobSpec().image("ghcr.io/acme/enrich:3")),
                    "\"1\""));
    assertEquals(412, stale.getCode());
    ApiException invalid =
        assertThrows(
            ApiException.class,
            () ->
                jobs.createJob(
                    ns,
                    new CreateJobRequest()
                        .name("Bad_Name")
                        .type(JobType.INGESTION)
                        .spec(new JobSpec().image("ghcr.io/acme/x:1")),
                    null));
    assertEquals(422, invalid.getCode());
    JsonNode problem = new ObjectMapper().readTree(invalid.getResponseBody());
    assertEquals("name", problem.at("/errors/0/field").asText());
    ApiResponse<Job> current = jobs.getJobWithHttpInfo(ns, "web", null);
    String version = current.getHeaders().get("ETag").get(0);
    ApiException notModified =
        assertThrows(ApiException.class, () -> jobs.getJobWithHttpInfo(ns, "web", version));
    assertEquals(304, notModified.getCode());

    // Manifests, as the objects they are (the generated client asks for JSON first).
    var manifests = jobs.getJobManifests(ns, "web", null);
    assertTrue(
        manifests.stream().anyMatch(o -> "Deployment".equals(o.getKind())), manifests.toString());
  }

  @Test
  void pagingThroughTwentyFiveJobsAndManagingTokens() throws Exception {
    JobsApi jobs = new JobsApi(client());
    for (int i = 0; i < 25; i++) {
      jobs.createJob(
          ns, new CreateJobRequest().name("page-" + i).type(JobType.INGESTION).spec(batch()), null);
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    List<Integer> sizes = new ArrayList<>();
    do {
      JobList page = jobs.listJobs(ns, cursor, null, 10, null, null, null, null, null, null, null);
      page.getItems().forEach(j -> seen.add(j.getName()));
      sizes.add(page.getItems().size());
      cursor = page.getNextCursor();
    } while (cursor != null);
    assertEquals(25, seen.size());
    assertEquals(List.of(10, 10, 5), sizes);

    // Tokens need an admin; the sandbox's token is an operator, so the test admin makes one.
    TokensApi tokens = new TokensApi(client(io.sluice.support.Tokens.ADMIN));
    var issued =
        tokens.createToken(
            new CreateTokenRequest().name("java-" + ns).role("viewer").namespaces(List.of(ns)));
    assertNotNull(issued.getToken());
    assertNull(issued.getExpiresAt());
    assertTrue(
        tokens.listTokens().getItems().stream().anyMatch(t -> t.getId().equals(issued.getId())));
    JobList asViewer =
        new JobsApi(client(issued.getToken()))
            .listJobs(ns, null, null, 5, null, null, null, null, null, null, null);
    assertEquals(5, asViewer.getItems().size());
    tokens.revokeToken(issued.getId().toString());
    ApiException revoked =
        assertThrows(
            ApiException.class,
            () ->
                new JobsApi(client(issued.getToken()))
                    .listJobs(ns, null, null, 5, null, null, null, null, null, null, null));
    assertEquals(401, revoked.getCode());
    assertNotEquals(0, revoked.getResponseHeaders().allValues("WWW-Authenticate").size());
  }

  private interface Call<T> {
    T get() throws ApiException;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T until(Supplier<T> read, java.util.function.Predicate<T> done)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    T value = read.get();
    while (!done.test(value) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      value = read.get();
    }
    return value;
  }
}
