package io.sluice.sandbox;

import java.nio.file.Path;

/**
 * The one embedded PostgreSQL of the sandbox, kept for the life of the JVM so that dev-mode live
 * reloads reuse it and its data directory keeps the jobs across restarts.
 */
public final class SandboxDatabase {
  private static EmbeddedDatabase instance;

  private SandboxDatabase() {}

  public static synchronized EmbeddedDatabase get(Path dataDir) {
    if (instance == null) {
      instance = EmbeddedDatabase.start(dataDir, 0, true);
    }
    return instance;
  }
}
