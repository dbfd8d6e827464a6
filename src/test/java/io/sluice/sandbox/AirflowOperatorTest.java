package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the Airflow operator's Python unittest (examples/airflow) against this Sluice, in the
 * sandbox where runs really succeed and fail. Skipped only where no python3 is installed.
 */
@QuarkusTest
@TestProfile(SandboxScenarioTest.Sandbox.class)
class AirflowOperatorTest {
  @TestHTTPResource("/")
  URL sluice;

  @Test
  void theOperatorSubmitsWaitsRetriesSafelyAndCancels() throws IOException, InterruptedException {
    Assumptions.assumeTrue(python(), "python3 is not installed");
    ProcessBuilder withUrl =
        new ProcessBuilder(
                "python3", "-m", "unittest", "-v", "examples/airflow/test_sluice_airflow.py")
            .redirectErrorStream(true);
    withUrl.environment().put("SLUICE_URL", sluice.toString().replaceAll("/$", ""));
    withUrl.environment().put("SLUICE_TOKEN", io.sluice.support.Api.sandboxToken());
    Process tests = withUrl.start();
    assertTrue(tests.waitFor(180, TimeUnit.SECONDS), "python tests did not finish");
    String output = new String(tests.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tests.exitValue(), output);
    assertTrue(output.contains("Ran 11 tests") && output.contains("OK"), output);
  }

  private static boolean python() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
