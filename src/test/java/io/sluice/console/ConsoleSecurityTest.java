package io.sluice.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import io.sluice.support.Api;
import io.sluice.support.Fixtures;
import io.sluice.support.Tokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every console route, read from the console's resource classes: without a session each sends the
 * browser to sign in and changes nothing; a viewer's session cannot post to any write route (even
 * with its CSRF token); an operator's post without the session's CSRF token is refused; a namespace
 * outside the token's grant is 404; the sign-in form refuses a forged post and never redirects
 * off-site.
 */
@QuarkusTest
@WithKubernetesTestServer
class ConsoleSecurityTest {
  private static final List<Class<?>> PAGES =
      List.of(JobPages.class, JobActions.class, PipelinePages.class);

  private final String ns = Fixtures.namespace();

  private record Route(String method, String path) {}

  private static List<Route> routes(String namespace) {
    List<Route> routes = new ArrayList<>();
    for (Class<?> type : PAGES) {
      String root = type.getAnnotation(Path.class).value();
      for (Method m : type.getDeclaredMethods()) {
        String method =
            m.isAnnotationPresent(GET.class)
                ? "GET"
                : m.isAnnotationPresent(POST.class) ? "POST" : null;
        if (method == null) {
          continue;
        }
        Path sub = m.getAnnotation(Path.class);
        String path =
            (root + (sub == null ? "" : sub.value()))
                .replace("{namespace}", namespace)
                .replace("{name}", "job")
                .replace("{run}", "1")
                .replace("{from}", "1")
                .replace("{to}", "2");
        routes.add(new Route(method, path));
      }
    }
    return routes;
  }

  /**
   * Signs in through the form, as a browser does; returns the session cookie and its CSRF token.
   */
  static String[] session(String token) {
    Response form = given().redirects().follow(false).get("/ui/login");
    String loginCsrf = value(form.asString(), "csrf");
    Response signedIn =
        given()
            .redirects()
            .follow(false)
            .cookie("sluice_login", form.getCookie("sluice_login"))
            .formParam("token", token)
            .formParam("csrf", loginCsrf)
            .formParam("next", "/ui/namespaces")
            .post("/ui/login");
    assertEquals(303, signedIn.statusCode(), signedIn.asString());
    String cookie = signedIn.getCookie("sluice_session");
    assertNotNull(cookie);
    assertTrue(signedIn.getHeader("Set-Cookie").contains("HttpOnly"));
    assertTrue(
        signedIn.getHeaders().getValues("Set-Cookie").stream()
            .anyMatch(c -> c.startsWith("sluice_session") && c.contains("SameSite=Strict")));
    String page = given().cookie("sluice_session", cookie).get("/ui/namespaces").asString();
    return new String[] {cookie, value(page, "csrf")};
  }

  private static String value(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
    assertTrue(m.find(), "no " + name + " in " + html);
    return m.group(1);
  }

  @Test
  void withoutASessionEveryRouteSendsToSignInAndChangesNothing() {
    Api.createJobOk(ns, Fixtures.batchJob("job"));
    for (Route route : routes(ns)) {
      Response r = given().redirects().follow(false).request(route.method(), route.path());
      assertEquals(303, r.statusCode(), route + " " + r.asString());
      assertTrue(
          r.getHeader("Location").contains("/ui/login?next="),
          route + " " + r.getHeader("Location"));
    }
    Api.getJob(ns, "job").then().statusCode(200);
    assertEquals(
        0,
        io.sluice.support.Db.count(
            "select count(*) from runs r join jobs j on j.id = r.job_id where j.namespace = ?",
            ns));
  }

  @Test
  void aViewerCannotPostToAnyWriteRouteAndSeesNoOtherNamespace() {
    Api.createJobOk(ns, Fixtures.batchJob("job"));
    String[] viewer = session(Tokens.issue("viewer", ns));
    for (Route route : routes(ns)) {
      if (!route.method().equals("POST")) {
        continue;
      }
      Response r =
          given()
              .redirects()
              .follow(false)
              .cookie("sluice_session", viewer[0])
              .formParam("csrf", viewer[1])
              .formParam("replicas", "2")
              .formParam("toRevision", "1")
              .formParam("confirmed", "true")
              .post(route.path());
      assertEquals(403, r.statusCode(), route + " " + r.asString());
      assertTrue(r.getContentType().startsWith("text/html"), route + " answers a page");
    }
    String other = Fixtures.namespace();
    Api.createJobOk(other, Fixtures.batchJob("job"));
    for (Route route : routes(other)) {
      if (route.method().equals("GET") && route.path().contains("/namespaces/" + other)) {
        Response r =
            given().redirects().follow(false).cookie("sluice_session", viewer[0]).get(route.path());
        // Operators' pages (the editors) are refused by role first: nothing is read either way.
        assertTrue(
            r.statusCode() == 404
                || (r.statusCode() == 403 && route.path().matches(".*/(edit|new-job)$")),
            route + " " + r.statusCode());
        assertFalse(r.asString().contains(other + "/jobs/job\""), route + " leaks the job");
      }
    }
    // The cookie reads the API, never writes it.
    given()
        .cookie("sluice_session", viewer[0])
        .get("/api/v1/namespaces/" + ns + "/jobs")
        .then()
        .statusCode(200);
    String[] operator = session(Tokens.issue("operator", ns));
    given()
        .cookie("sluice_session", operator[0])
        .contentType("application/json")
        .body("{}")
        .post("/api/v1/namespaces/" + ns + "/jobs/job/runs")
        .then()
        .statusCode(401);
    assertEquals(
        0,
        io.sluice.support.Db.count(
            "select count(*) from runs r join jobs j on j.id = r.job_id where j.namespace = ?",
            ns));
  }

  @Test
  void anOperatorsPostNeedsTheSessionsCsrfToken() {
    Api.createJobOk(ns, Fixtures.batchJob("job"));
    String[] operator = session(Tokens.issue("operator", ns));
    String[] another = session(Tokens.issue("operator", ns));
    for (String csrf : new String[] {null, "", "forged", another[1]}) {
      var request = given().redirects().follow(false).cookie("sluice_session", operator[0]);
      if (csrf != null) {
        request.formParam("csrf", csrf);
      }
      Response r = request.formParam("args", "").post("/ui/namespaces/" + ns + "/jobs/job/run");
      assertEquals(403, r.statusCode(), csrf + ": " + r.asString());
      assertTrue(r.asString().contains("CSRF"));
    }
    assertEquals(
        0,
        io.sluice.support.Db.count(
            "select count(*) from runs r join jobs j on j.id = r.job_id where j.namespace = ?",
            ns));
    Response ok =
        given()
            .redirects()
            .follow(false)
            .cookie("sluice_session", operator[0])
            .formParam("csrf", operator[1])
            .formParam("args", "")
            .post("/ui/namespaces/" + ns + "/jobs/job/run");
    assertEquals(303, ok.statusCode(), ok.asString());
    assertEquals(
        1,
        io.sluice.support.Db.count(
            "select count(*) from runs r join jobs j on j.id = r.job_id where j.namespace = ?",
            ns));
  }

  @Test
  void signInRefusesAForgedFormABadTokenAndOffSiteRedirects() {
    Response forged =
        given()
            .redirects()
            .follow(false)
            .formParam("token", Tokens.ADMIN)
            .formParam("csrf", "x")
            .post("/ui/login");
    assertEquals(403, forged.statusCode());
    assertNull(forged.getCookie("sluice_session"));

    Response form = given().get("/ui/login");
    Response bad =
        given()
            .redirects()
            .follow(false)
            .cookie("sluice_login", form.getCookie("sluice_login"))
            .formParam("csrf", value(form.asString(), "csrf"))
            .formParam("token", "sluice_not-a-token")
            .post("/ui/login");
    assertEquals(401, bad.statusCode());
    assertTrue(bad.asString().contains("unknown, expired or revoked"));

    Response form2 = given().get("/ui/login?next=https://evil.example/");
    Response offsite =
        given()
            .redirects()
            .follow(false)
            .cookie("sluice_login", form2.getCookie("sluice_login"))
            .formParam("csrf", value(form2.asString(), "csrf"))
            .formParam("token", Tokens.ADMIN)
            .formParam("next", "//evil.example/")
            .post("/ui/login");
    assertEquals(303, offsite.statusCode());
    assertTrue(
        offsite.getHeader("Location").endsWith("/ui/namespaces"), offsite.getHeader("Location"));
  }

  @Test
  void signingOutOrRevokingTheTokenEndsTheSession() {
    Tokens.Issued issued = Tokens.issued("viewer", ns);
    String[] s = session(issued.token());
    given()
        .redirects()
        .follow(false)
        .cookie("sluice_session", s[0])
        .get("/ui/namespaces")
        .then()
        .statusCode(200);
    Api.authorized().delete("/api/v1/tokens/" + issued.id()).then().statusCode(204);
    given()
        .redirects()
        .follow(false)
        .cookie("sluice_session", s[0])
        .get("/ui/namespaces")
        .then()
        .statusCode(303);

    String[] t = session(Tokens.issue("viewer", ns));
    given()
        .redirects()
        .follow(false)
        .cookie("sluice_session", t[0])
        .formParam("csrf", t[1])
        .post("/ui/logout")
        .then()
        .statusCode(303);
    given()
        .redirects()
        .follow(false)
        .cookie("sluice_session", t[0])
        .get("/ui/namespaces")
        .then()
        .statusCode(303);
    assertEquals(
        0,
        io.sluice.support.Db.count(
            "select count(*) from console_sessions where id_sha256 = ?",
            io.sluice.security.ApiTokens.sha256(t[0])));
  }
}
