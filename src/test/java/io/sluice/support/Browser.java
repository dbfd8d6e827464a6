package io.sluice.support;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Chromium for the console's tests. Uses the one named by {@code SLUICE_CHROMIUM}, else
 * Debian's {@code /usr/bin/chromium} (or another usual place); where there is none, lets Playwright
 * fetch its own. Where that fails too, the tests fail saying how to get one: a browser test is
 * never skipped in silence.
 */
public final class Browser implements AutoCloseable {
  private static final List<String> USUAL =
      List.of(
          "/usr/bin/chromium",
          "/usr/bin/chromium-browser",
          "/usr/bin/google-chrome",
          "/usr/bin/google-chrome-stable",
          "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
  private static final List<String> ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--no-first-run",
          "--disable-component-update",
          "--disable-sync",
          "--disable-quic");

  private final Playwright playwright;
  private final com.microsoft.playwright.Browser browser;

  private Browser(Playwright playwright, com.microsoft.playwright.Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  public static Browser start() {
    Optional<Path> installed = installed();
    Playwright playwright;
    try {
      playwright =
          Playwright.create(
              new Playwright.CreateOptions()
                  .setEnv(
                      installed.isPresent()
                          ? Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                          : Map.of()));
    } catch (PlaywrightException e) {
      throw new AssertionError(
          howToGetOne("Playwright could not start or fetch a browser: " + e.getMessage()), e);
    }
    try {
      BrowserType.LaunchOptions options =
          new BrowserType.LaunchOptions().setHeadless(true).setArgs(ARGS);
      installed.ifPresent(options::setExecutablePath);
      return new Browser(playwright, playwright.chromium().launch(options));
    } catch (PlaywrightException e) {
      playwright.close();
      throw new AssertionError(howToGetOne("Chromium did not start: " + e.getMessage()), e);
    }
  }

  private static Optional<Path> installed() {
    String named = System.getenv("SLUICE_CHROMIUM");
    if (named != null && !named.isBlank()) {
      Path path = Path.of(named);
      if (!Files.isExecutable(path)) {
        throw new AssertionError(howToGetOne("SLUICE_CHROMIUM=" + named + " is not an executable"));
      }
      return Optional.of(path);
    }
    return USUAL.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  private static String howToGetOne(String why) {
    return why
        + "\nThe console's browser tests need Chromium. Install it (Debian/Ubuntu: `sudo apt-get"
        + " install -y chromium`; macOS: install Google Chrome), or point SLUICE_CHROMIUM at a"
        + " Chromium or Chrome executable, or let Playwright download its own (needs network:"
        + " `mvn exec:java -e -D exec.mainClass=com.microsoft.playwright.CLI -D"
        + " exec.args=\"install chromium\"`).";
  }

  /** A fresh profile (cookies, storage) at 1280 × 800, as a person's browser. */
  public BrowserContext newContext(String baseUrl) {
    return browser.newContext(
        new NewContextOptions()
            .setBaseURL(baseUrl)
            .setViewportSize(1280, 800)
            .setLocale("en-US")
            .setTimezoneId("Europe/Berlin"));
  }

  /** Saves a full-page screenshot under target/console-screenshots/. */
  public static void screenshot(Page page, String name) {
    Path dir = Path.of("target", "console-screenshots");
    page.screenshot(
        new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
