package io.sluice.sandbox;

import java.nio.file.Path;

/**
 * The one embedded PostgreSQL of the sandbox, kept for the life of the JVM. Dev mode reloads the
 * application in fresh class loaders, so the running server is remembered in a system property
 * (visible to all of them) rather than in a static field, and reused on every reload.
 */
public final class SandboxDatabase {
  static final String URL_PROPERTY = "io.sluice.sandbox.jdbc-url";

  private SandboxDatabase() {}

  /** The JDBC URL of the sandbox database, starting it on first use. */
  public static synchronized String jdbcUrl(Path dataDir) {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null) {
      url = EmbeddedDatabase.start(dataDir, 0, true).jdbcUrl("postgres");
      System.setProperty(URL_PROPERTY, url);
    }
    return url;
  }
}
