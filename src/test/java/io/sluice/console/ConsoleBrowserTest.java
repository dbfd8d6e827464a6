package io.sluice.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.*;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.sandbox.SandboxScenarioTest;
import io.sluice.support.Browser;
import io.sluice.support.Tokens;
import java.net.URL;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real Chromium against the sandbox, as a data team uses it: sign in, create a
 * job from YAML (a bad field shown at its line), run it and watch it succeed live, read its log,
 * scale, edit and roll back after a confirmation; a viewer sees no write controls, a forged form is
 * refused, another namespace stays invisible. Every main page is checked with axe-core and saved as
 * a screenshot under target/console-screenshots/.
 */
@QuarkusTest
@TestProfile(SandboxScenarioTest.Sandbox.class)
class ConsoleBrowserTest {
  private static final LocatorAssertions.ContainsTextOptions LIVE =
      new LocatorAssertions.ContainsTextOptions().setTimeout(20_000);
  private static Browser browser;

  @TestHTTPResource("/")
  URL sluice;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private String base() {
    return sluice.toString().replaceAll("/$", "");
  }

  private Page signIn(BrowserContext context, String token) {
    Page page = context.newPage();
    page.navigate("/");
    assertTrue(
        page.url().contains("/ui/login"),
        "a browser at / is sent to the console's sign-in, not "
            + page.url()
            + ": "
            + page.content());
    if (token != null) {
      page.getByLabel("API token").fill(token);
    } else {
      assertFalse(page.getByLabel("API token").inputValue().isEmpty(), "sandbox token filled in");
    }
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Sign in"))
        .click();
    page.waitForURL("**/ui/namespaces");
    return page;
  }

  /** No serious or critical accessibility violation on the page. */
  private static void accessible(Page page, String name) {
    Browser.screenshot(page, name);
    AxeResults results = new AxeBuilder(page).analyze();
    String serious =
        results.getViolations().stream()
            .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
            .map(
                v ->
                    v.getId()
                        + ": "
                        + v.getHelp()
                        + " "
                        + v.getNodes().stream().map(n -> n.getHtml()).limit(3).toList())
            .collect(Collectors.joining("\n"));
    assertEquals("", serious, name + " has serious accessibility violations");
  }

  @Test
  void anOperatorCreatesRunsScalesAndRollsBackAJob() {
    try (BrowserContext context = browser.newContext(base())) {
      Page page = signIn(context, null);
      accessible(page, "01-namespaces");

      // Create from YAML with one bad field: the error stands under that field's line.
      page.navigate("/ui/namespaces/web/new-job");
      String bad =
          """
          name: web-ingest
          type: ingestion
          workload: batch
          spec:
            image: "Not A Valid Image!"
            args: ["--from", "console"]
          """;
      page.getByLabel("Job (YAML)").fill(bad);
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Create"))
          .click();
      var line = page.locator(".yaml-lines li.has-error");
      assertThat(line).hasCount(1);
      assertThat(line).hasAttribute("data-line", "5");
      assertThat(line.locator("code").first()).containsText("image:");
      assertThat(line.locator(".field-error")).containsText("spec.image");
      assertThat(page.locator("#error-summary")).containsText("line 5");
      accessible(page, "02-new-job-error");

      // Fixed, it is created; run it and watch the run succeed without reloading the page.
      page.getByLabel("Job (YAML)")
          .fill(bad.replace("\"Not A Valid Image!\"", "ghcr.io/acme/ingest:1.0"));
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Create"))
          .click();
      page.waitForURL("**/ui/namespaces/web/jobs/web-ingest?done=created");
      assertThat(page.locator(".notice")).containsText("Job created");
      accessible(page, "03-job");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Run now"))
          .click();
      page.waitForURL("**/runs/1?done=run");
      page.evaluate("window.__sameDocument = true");
      assertThat(page.locator("#run-live h2 .badge")).containsText("SUCCEEDED", LIVE);
      assertEquals(
          true, page.evaluate("window.__sameDocument === true"), "updated live, not reloaded");
      assertThat(page.locator("#log")).containsText("Started container", LIVE);
      assertThat(page.locator("#log")).containsText("--from, console");
      accessible(page, "04-run-succeeded");

      // A service: scale to 3 and see it ready; edit, then roll back after the confirmation.
      page.navigate("/ui/namespaces/web/new-job");
      page.getByLabel("Job (YAML)")
          .fill(
              """
              name: web-api
              type: processing
              workload: service
              spec:
                image: ghcr.io/acme/api:1.0
                replicas: 1
              """);
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Create"))
          .click();
      page.waitForURL("**/jobs/web-api?done=created");
      page.getByLabel("Replicas").fill("3");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Scale"))
          .click();
      assertThat(page.locator(".notice")).containsText("Scale set");
      assertThat(page.locator("#job-live")).containsText("3 of 3", LIVE);
      assertThat(page.locator("#job-live h1 .badge")).containsText("READY", LIVE);

      page.navigate("/ui/namespaces/web/jobs/web-api/edit");
      String yaml = page.getByLabel("Update (YAML)").inputValue();
      page.getByLabel("Update (YAML)")
          .fill(
              yaml.replace("ghcr.io/acme/api:1.0", "ghcr.io/acme/api:2.0")
                  .replace("changeCause: \"\"", "changeCause: new api"));
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Save"))
          .click();
      assertThat(page.locator(".notice")).containsText("new revision");
      assertThat(page.locator(".sub")).containsText("revision 2");

      page.navigate("/ui/namespaces/web/jobs/web-api/revisions/1/diff/2");
      assertThat(page.locator("table.diff tr.changed")).containsText("ghcr.io/acme/api:2.0");
      accessible(page, "05-diff");

      page.navigate("/ui/namespaces/web/jobs/web-api");
      page.getByLabel("Roll back to revision").fill("1");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Roll back…"))
          .click();
      assertThat(page.locator("h2")).containsText("Roll back web-api to revision 1?");
      assertThat(page.locator("table.diff tr.changed")).containsText("ghcr.io/acme/api:1.0");
      accessible(page, "06-rollback-confirm");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Roll back to revision 1"))
          .click();
      assertThat(page.locator(".notice")).containsText("Rolled back");
      assertThat(page.locator(".sub")).containsText("revision 3");

      page.navigate("/ui/namespaces/web/jobs");
      assertThat(page.locator("tr[data-job=web-api]")).containsText("READY", LIVE);
      accessible(page, "07-jobs");
      page.navigate("/ui/namespaces/web/jobs/web-api/events");
      assertThat(page.locator(".timeline")).containsText("rolled");
      accessible(page, "08-events");

      // A forged form (no or a wrong CSRF token) is refused, and changes nothing.
      var forged =
          context
              .request()
              .post(
                  "/ui/namespaces/web/jobs/web-api/scale",
                  RequestOptions.create()
                      .setForm(FormData.create().set("replicas", "0").set("csrf", "forged")));
      assertEquals(403, forged.status());
      assertTrue(forged.text().contains("CSRF"), forged.text());
      var missing =
          context
              .request()
              .post(
                  "/ui/namespaces/web/jobs/web-api/scale",
                  RequestOptions.create().setForm(FormData.create().set("replicas", "0")));
      assertEquals(403, missing.status());
      page.navigate("/ui/namespaces/web/jobs/web-api");
      assertThat(page.getByLabel("Replicas")).hasValue("3");
      // The session cookie never authenticates an API write.
      var apiWrite =
          context
              .request()
              .put(
                  "/api/v1/namespaces/web/jobs/web-api/scale",
                  RequestOptions.create()
                      .setHeader("Content-Type", "application/json")
                      .setData("{\"replicas\": 0}"));
      assertEquals(401, apiWrite.status());
    }
  }

  @Test
  void aViewerSeesNoWriteControlsAndNoOtherNamespace() {
    String ns = "viewed";
    String other = "hidden";
    io.sluice.support.Api.createJobOk(ns, io.sluice.support.Fixtures.batchJob("visible-job"));
    io.sluice.support.Api.createJobOk(other, io.sluice.support.Fixtures.batchJob("secret-job"));
    String viewer = Tokens.issue("viewer", ns);
    try (BrowserContext context = browser.newContext(base())) {
      Page page = signIn(context, viewer);
      assertThat(page.locator("main")).containsText(ns);
      assertThat(page.locator("main")).not().containsText(other);
      page.navigate("/ui/namespaces/" + ns + "/jobs");
      assertThat(page.locator("tr[data-job=visible-job]")).isVisible();
      assertThat(page.getByText("New job")).hasCount(0);
      page.navigate("/ui/namespaces/" + ns + "/jobs/visible-job");
      assertThat(page.locator("form[action$=run]")).hasCount(0);
      assertThat(page.locator("form[action$=delete]")).hasCount(0);
      assertThat(page.getByText("Edit", new Page.GetByTextOptions().setExact(true))).hasCount(0);
      accessible(page, "09-viewer-job");

      // The server refuses anyway, with or without a valid CSRF token.
      String csrf = page.locator("form[action='/ui/logout'] input[name=csrf]").inputValue();
      var post =
          context
              .request()
              .post(
                  "/ui/namespaces/" + ns + "/jobs/visible-job/run",
                  RequestOptions.create().setForm(FormData.create().set("csrf", csrf)));
      assertEquals(403, post.status());

      var hidden = page.navigate("/ui/namespaces/" + other + "/jobs/secret-job");
      assertEquals(404, hidden.status());
      assertThat(page.locator("main")).not().containsText("secret-job");
      var hiddenList = page.navigate("/ui/namespaces/" + other + "/jobs");
      assertEquals(404, hiddenList.status());
      var hiddenWatch = context.request().get("/api/v1/namespaces/" + other + "/jobs?watch=true");
      assertEquals(404, hiddenWatch.status());

      // Signing out ends the session for every tab.
      page.navigate("/ui/namespaces");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Sign out"))
          .click();
      page.waitForURL("**/ui/login");
      page.navigate("/ui/namespaces/" + ns + "/jobs");
      assertTrue(page.url().contains("/ui/login"), page.url());
    }
  }

  @Test
  void aPipelineRunIsDrawnWithEachStepsPhase() {
    String ns = "flows";
    for (String job : List.of("extract", "load")) {
      io.sluice.support.Api.createJobOk(ns, io.sluice.support.Fixtures.batchJob(job));
    }
    io.sluice.support.Api.as(Tokens.ADMIN)
        .contentType("application/json")
        .body(
            java.util.Map.of(
                "name",
                "nightly",
                "spec",
                java.util.Map.of(
                    "steps",
                    List.of(
                        java.util.Map.of("name", "extract", "job", "extract"),
                        java.util.Map.of(
                            "name", "load", "job", "load", "dependsOn", List.of("extract"))))))
        .post("/api/v1/namespaces/" + ns + "/pipelines")
        .then()
        .statusCode(201);
    try (BrowserContext context = browser.newContext(base())) {
      Page page = signIn(context, null);
      page.navigate("/ui/namespaces/" + ns + "/pipelines/nightly");
      assertThat(page.locator("svg.dag g.node")).hasCount(2);
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Start run"))
          .click();
      page.waitForURL("**/pipelines/nightly/runs/1?done=pipelineRun");
      page.evaluate("window.__sameDocument = true");
      assertThat(page.locator("svg.dag g.node[data-step=load]"))
          .hasAttribute(
              "data-phase",
              "SUCCEEDED",
              new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
      assertThat(page.locator("#pipeline-run-live h1 .badge")).containsText("SUCCEEDED", LIVE);
      assertEquals(
          true, page.evaluate("window.__sameDocument === true"), "updated live, not reloaded");
      accessible(page, "10-pipeline-run");
    }
  }
}
