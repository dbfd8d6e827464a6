package io.sluice.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.sandbox.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Starts one real embedded PostgreSQL for the whole test JVM and points the datasource at it. Tests
 * isolate themselves by using their own namespaces and names, not by resetting the database.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
  private static EmbeddedDatabase database;

  public static synchronized EmbeddedDatabase database() {
    if (database == null) {
      try {
        database = EmbeddedDatabase.start(Files.createTempDirectory("sluice-test-pg"), 0, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return database;
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
    // Shared by every test class; stopped by the JVM shutdown hook.
  }
}
