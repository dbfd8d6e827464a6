package io.sluice.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.sandbox.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * Starts one real embedded PostgreSQL for the whole test JVM and points the datasource at it. Tests
 * isolate themselves by using their own namespaces and names, not by resetting the database. It can
 * be stopped and started again (same port, same data) to test outages.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
  private static EmbeddedDatabase database;
  private static Path dataDirectory;
  private static int port;

  public static synchronized EmbeddedDatabase database() {
    if (database == null) {
      try {
        dataDirectory = Files.createTempDirectory("sluice-test-pg");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      database = EmbeddedDatabase.start(dataDirectory, 0, false);
      port = database.port();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(PostgresResource::cleanUp, "sluice-test-pg-cleanup"));
    }
    return database;
  }

  /** Stops the server, as an outage would; {@link #restartServer} brings it back with its data. */
  public static synchronized void stopServer() {
    database().close();
  }

  public static synchronized void restartServer() {
    database = EmbeddedDatabase.start(dataDirectory, port, false);
  }

  private static void cleanUp() {
    if (database != null) {
      database.close();
    }
    try (var paths = Files.walk(dataDirectory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // best effort: it is a temporary directory
    }
  }

  @Override
  public Map<String, String> start() {
    return Map.of(
        "quarkus.datasource.jdbc.url",
        database().jdbcUrl("postgres"),
        "quarkus.datasource.username",
        "postgres");
  }

  @Override
  public void stop() {
    // Shared by every test class; stopped when the JVM exits.
  }
}
