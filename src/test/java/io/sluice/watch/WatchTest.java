package io.sluice.watch;

import static io.sluice.support.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Fixtures;
import io.sluice.support.Tokens;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The watch API as a frontend uses it: list, then watch from the list's resourceVersion; resume
 * with Last-Event-ID; 410 for a position outside the history; namespaces stay invisible; watches
 * are bounded per caller.
 */
@QuarkusTest
@WithKubernetesTestServer
class WatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL base;

  private final String ns = Fixtures.namespace();

  private String url(String path) {
    return base.toString().replaceAll("/$", "") + path;
  }

  private SseClient watch(String path, String token, Map<String, String> headers) throws Exception {
    return SseClient.open(url(path), token, headers);
  }

  private static JsonNode data(SseClient.Event event) throws Exception {
    return JSON.readTree(event.data());
  }

  @Test
  void aWatchFromAListSeesEveryLaterChangeInOrder() throws Exception {
    createJobOk(ns, Fixtures.serviceJob("before"));
    String rv =
        request().get(jobsPath(ns)).then().statusCode(200).extract().path("resourceVersion");
    assertNotNull(rv, "a list says where to watch from");

    try (SseClient watch =
        watch(jobsPath(ns) + "?watch=true&resourceVersion=" + rv, Tokens.ADMIN, Map.of())) {
      assertEquals(200, watch.status, watch.body);
      assertTrue(watch.contentType.startsWith("text/event-stream"), watch.contentType);
      createJobOk(ns, Fixtures.serviceJob("after"));
      SseClient.Event added = watch.nextChange(10);
      while (!"after".equals(data(added).at("/object/name").asText())) {
        assertNotEquals("ADDED", added.name(), "'before' was in the list: " + added);
        added = watch.nextChange(10); // the reconciler's status of 'before', after the list
      }
      assertEquals("ADDED", added.name());
      assertEquals(added.id(), data(added).at("/resourceVersion").asText());

      request()
          .body(Map.of("replicas", 3))
          .put(jobPath(ns, "after") + "/scale")
          .then()
          .statusCode(200);
      SseClient.Event scaled = watch.nextChange(10);
      while (data(scaled).at("/object/scale/replicas").asInt() != 3) {
        scaled = watch.nextChange(10); // the reconciler's status, written before the scale
      }
      assertEquals("MODIFIED", scaled.name());
      assertEquals(3, data(scaled).at("/object/scale/replicas").asInt());
      assertTrue(Long.parseLong(scaled.id()) > Long.parseLong(added.id()));

      request().delete(jobPath(ns, "after")).then().statusCode(202);
      SseClient.Event deleted = watch.nextChange(10);
      while (!"DELETED".equals(deleted.name())) {
        deleted = watch.nextChange(10); // status the reconciler wrote in between
      }
      assertEquals("after", data(deleted).at("/object/name").asText());
    }
  }

  @Test
  void withoutAResourceVersionTheCurrentStateComesFirstThenABookmark() throws Exception {
    createJobOk(ns, Fixtures.batchJob("one"));
    createJobOk(ns, Fixtures.batchJob("two"));
    try (SseClient watch = watch(jobsPath(ns) + "?watch=true", Tokens.ADMIN, Map.of())) {
      List<String> names = new ArrayList<>();
      SseClient.Event event = watch.next(10);
      while ("ADDED".equals(event.name())) {
        assertNull(event.id(), "the initial state is not a position to resume from");
        names.add(data(event).at("/object/name").asText());
        event = watch.next(10);
      }
      assertEquals(List.of("one", "two"), names);
      assertEquals("BOOKMARK", event.name());
      assertNotNull(event.id());
    }
  }

  @Test
  void aReconnectWithLastEventIdResumesAfterIt() throws Exception {
    String rv = request().get(jobsPath(ns)).then().extract().path("resourceVersion");
    String first;
    try (SseClient watch =
        watch(jobsPath(ns) + "?watch=true&resourceVersion=" + rv, Tokens.ADMIN, Map.of())) {
      createJobOk(ns, Fixtures.batchJob("first"));
      first = watch.nextChange(10).id();
    }
    createJobOk(ns, Fixtures.batchJob("second"));
    // As an EventSource reconnects: the same URL, and the id of the last event it had.
    try (SseClient watch =
        watch(
            jobsPath(ns) + "?watch=true&resourceVersion=" + rv,
            Tokens.ADMIN,
            Map.of("Last-Event-ID", first))) {
      SseClient.Event next = watch.nextChange(10);
      while (!"second".equals(data(next).at("/object/name").asText())) {
        assertNotEquals("ADDED", next.name(), "only changes after Last-Event-ID: " + next);
        next = watch.nextChange(10); // the reconciler's status of "first", after its ADDED
      }
      assertEquals("ADDED", next.name());
    }
  }

  @Test
  void aPositionOutsideTheHistoryIsGoneAndAMalformedOneIsRefused() throws Exception {
    try (SseClient watch =
        watch(jobsPath(ns) + "?watch=true&resourceVersion=999999999999", Tokens.ADMIN, Map.of())) {
      assertEquals(410, watch.status);
      assertTrue(watch.contentType.startsWith("application/problem+json"), watch.contentType);
      assertTrue(watch.body.contains("list again"), watch.body);
    }
    try (SseClient watch =
        watch(jobsPath(ns) + "?watch=true&resourceVersion=abc", Tokens.ADMIN, Map.of())) {
      assertEquals(400, watch.status);
      assertTrue(watch.body.contains("resourceVersion"), watch.body);
    }
    try (SseClient watch =
        watch("/api/v1/namespaces/" + ns + "/pipelines?watch=true", Tokens.ADMIN, Map.of())) {
      assertEquals(400, watch.status, "pipelines are listed, not watched: " + watch.body);
      assertTrue(watch.body.contains("watch"), watch.body);
    }
    try (SseClient watch = watch(jobsPath(ns) + "?watch=maybe", Tokens.ADMIN, Map.of())) {
      assertEquals(400, watch.status);
      assertTrue(watch.body.contains("must be true or false"), watch.body);
    }
    try (SseClient watch =
        watch(jobsPath(ns) + "?watch=true&phase=READY", Tokens.ADMIN, Map.of())) {
      assertEquals(400, watch.status, "a watch takes no list filter");
      assertTrue(watch.body.contains("phase"), watch.body);
    }
  }

  @Test
  void aWatchOlderThanTheKeptHistoryIsGone() throws Exception {
    String old = request().get(jobsPath(ns)).then().extract().path("resourceVersion");
    createJobOk(ns, Fixtures.batchJob("moves-the-history"));
    String now = io.sluice.support.Db.count("select max(id) from watch_events") + "";
    io.sluice.support.Db.execute(
        "update watch_horizon set pruned_through = greatest(pruned_through, ?)",
        Long.parseLong(now));
    try (SseClient watch =
        watch(jobsPath(ns) + "?watch=true&resourceVersion=" + old, Tokens.ADMIN, Map.of())) {
      assertEquals(410, watch.status, watch.body);
      assertTrue(watch.body.contains("older than the history"), watch.body);
    }
  }

  @Test
  void aWatchNeverShowsAnotherNamespace() throws Exception {
    String other = Fixtures.namespace();
    String mine = Tokens.issue("viewer", ns);
    try (SseClient watch = watch(jobsPath(other) + "?watch=true", mine, Map.of())) {
      assertEquals(404, watch.status, "another namespace is as absent as one that does not exist");
    }
    String rv = request().get("/api/v1/jobs").then().extract().path("resourceVersion");
    try (SseClient all = watch("/api/v1/jobs?watch=true&resourceVersion=" + rv, mine, Map.of())) {
      assertEquals(200, all.status, all.body);
      createJobOk(other, Fixtures.batchJob("hidden"));
      createJobOk(ns, Fixtures.batchJob("visible"));
      SseClient.Event event = all.nextChange(10);
      assertEquals(ns, data(event).at("/object/namespace").asText());
      assertEquals("visible", data(event).at("/object/name").asText());
    }
    try (SseClient anonymous = watch(jobsPath(ns) + "?watch=true", null, Map.of())) {
      assertEquals(401, anonymous.status);
    }
  }

  @Test
  void runsAndTheirPhasesAreWatchedPerJob() throws Exception {
    createJobOk(ns, Fixtures.batchJob("batch"));
    String runs = jobPath(ns, "batch") + "/runs";
    String rv = request().get(runs).then().statusCode(200).extract().path("resourceVersion");
    try (SseClient watch =
        watch(runs + "?watch=true&resourceVersion=" + rv, Tokens.ADMIN, Map.of())) {
      assertEquals(200, watch.status, watch.body);
      request().body(Map.of()).post(runs).then().statusCode(201);
      SseClient.Event added = watch.nextChange(10);
      assertEquals("ADDED", added.name());
      assertEquals(1, data(added).at("/object/number").asInt());
      request().post(runs + "/1/cancel").then().statusCode(200);
      SseClient.Event cancelled;
      do {
        cancelled = watch.nextChange(10);
      } while (!"CANCELLED".equals(data(cancelled).at("/object/phase").asText()));
      assertEquals("MODIFIED", cancelled.name());
    }
  }

  @Test
  void watchesAreBoundedPerCaller() throws Exception {
    String token = Tokens.issue("viewer", ns);
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        SseClient watch = watch(jobsPath(ns) + "?watch=true", token, Map.of());
        assertEquals(200, watch.status, watch.body);
        open.add(watch);
      }
      try (SseClient refused = watch(jobsPath(ns) + "?watch=true", token, Map.of())) {
        assertEquals(429, refused.status);
        assertTrue(refused.body.contains("open watches"), refused.body);
      }
    } finally {
      for (SseClient watch : open) {
        watch.close();
      }
    }
    // Closed watches give their slots back.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () -> {
              try (SseClient again = watch(jobsPath(ns) + "?watch=true", token, Map.of())) {
                return again.status == 200;
              }
            });
  }

  @Test
  void revokingTheTokenEndsItsWatches() throws Exception {
    Tokens.Issued issued = Tokens.issued("viewer", ns);
    String token = issued.token();
    String id = issued.id();
    try (SseClient watch = watch(jobsPath(ns) + "?watch=true", token, Map.of())) {
      assertEquals(200, watch.status, watch.body);
      assertEquals("BOOKMARK", watch.next(10).name());
      authorized().delete("/api/v1/tokens/" + id).then().statusCode(204);
      SseClient.Event event = watch.next(10);
      while ("BOOKMARK".equals(event.name())) {
        event = watch.next(10);
      }
      assertEquals("ERROR", event.name());
      assertEquals(401, data(event).at("/object/status").asInt());
      assertTrue(data(event).at("/object/detail").asText().contains("revoked"));
      assertEquals("EOF", watch.next(10).name(), "the stream ends");
    }
  }
}
