package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the Airflow provider's Python unittest (clients/airflow) against this Sluice, in the sandbox
 * where runs really succeed and fail, once per Airflow line: 2.10 (its module layout), 3.1
 * (airflow.sdk) and 3.3 (whose triggerer calls a trigger's on_kill). Skipped only where no python3
 * is installed.
 */
@QuarkusTest
@TestProfile(AirflowOperatorTest.Runs.class)
class AirflowOperatorTest {
  /** The sandbox with runs long enough to be killed while deferred. */
  public static class Runs implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config =
          new HashMap<>(new SandboxScenarioTest.Sandbox().getConfigOverrides());
      config.put("sluice.sandbox.run-duration", "2s");
      return config;
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  @TestHTTPResource("/")
  URL sluice;

  @ParameterizedTest(name = "Airflow {1}")
  @CsvSource({"airflow2, 2.10.5", "airflow3, 3.1.0", "airflow3, 3.3.0"})
  void theProviderWorksOnEveryAirflowLine(String tree, String version)
      throws IOException, InterruptedException {
    Assumptions.assumeTrue(python(), "python3 is not installed");
    ProcessBuilder suite =
        new ProcessBuilder(
                "python3", "-m", "unittest", "-v", "clients/airflow/tests/test_provider.py")
            .redirectErrorStream(true);
    suite.environment().put("SLUICE_URL", sluice.toString().replaceAll("/$", ""));
    suite.environment().put("SLUICE_TOKEN", io.sluice.support.Api.sandboxToken());
    suite.environment().put("AIRFLOW_STUB_TREE", tree);
    suite.environment().put("AIRFLOW_STUB_VERSION", version);
    suite.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process tests = suite.start();
    assertTrue(tests.waitFor(240, TimeUnit.SECONDS), "python tests did not finish");
    String output = new String(tests.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tests.exitValue(), output);
    assertTrue(output.contains("Ran 20 tests") && output.contains("OK"), output);
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
