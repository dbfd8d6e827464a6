package io.sluice.sandbox;

import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Generates the TypeScript client from openapi/openapi.yaml, type-checks its test against it and
 * runs that test against this Sluice (the sandbox). npm installs the generator from the npm
 * registry. Skipped only where Node.js and npm are not installed.
 */
@QuarkusTest
@TestProfile(SandboxScenarioTest.Sandbox.class)
class TypeScriptClientTest {
  private static final File CLIENT = new File("clients/typescript");

  @TestHTTPResource("/")
  URL sluice;

  @Test
  void theGeneratedClientDrivesTheRealService() throws IOException, InterruptedException {
    Assumptions.assumeTrue(available("npm", "--version"), "npm is not installed");
    run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
    String output = run(List.of("npm", "test"), 300);
    assertTrue(output.contains("# pass 5") && output.contains("# fail 0"), output);
  }

  private String run(List<String> command, int seconds) throws IOException, InterruptedException {
    // Output to a file, not a pipe: a client test that hangs (a request that never answers) must
    // fail this test after the timeout, not block it reading a pipe the hung process holds open.
    java.nio.file.Path log = java.nio.file.Files.createTempFile("ts-client", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(CLIENT)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("SLUICE_URL", sluice.toString().replaceAll("/$", ""));
    builder.environment().put("SLUICE_TOKEN", io.sluice.support.Api.sandboxToken());
    Process process = builder.start();
    boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
    java.nio.file.Files.deleteIfExists(log);
    assertTrue(finished, command + " did not finish in " + seconds + " s:\n" + output);
    assertEquals(0, process.exitValue(), command + " failed:\n" + output);
    return output;
  }

  private static boolean available(String... command) {
    try {
      return new ProcessBuilder(command).start().waitFor(20, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
