package io.sluice.sandbox;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In sandbox mode ({@code sluice.sandbox.enabled=true}, the default in dev mode) supplies the
 * datasource of an embedded PostgreSQL, started the first time anything asks for its URL. Its
 * ordinal is below {@code application.properties}, so a configured datasource always wins and the
 * embedded one is never started for it.
 */
public class SandboxConfigSourceFactory implements ConfigSourceFactory {
  static final String ENABLED = "sluice.sandbox.enabled";
  static final String DATA_DIR = "sluice.sandbox.data-dir";
  static final String DEFAULT_DATA_DIR = ".sluice/sandbox";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (!"true".equalsIgnoreCase(value(context, ENABLED, "false"))) {
      return List.of();
    }
    Path dataDir = Path.of(value(context, DATA_DIR, DEFAULT_DATA_DIR)).toAbsolutePath();
    return List.of(new DatabaseSource(dataDir.resolve("postgres")), new WalkThroughPolicy());
  }

  /**
   * The walk-through's namespace lets pods have their ServiceAccount's token, which a Spark driver
   * and a Flink JobManager need to start their executors and TaskManagers. Sandbox mode only, and
   * below every other source: a setting of the user's wins.
   */
  static final class WalkThroughPolicy implements ConfigSource {
    static final String TOKEN = "sluice.policy.namespaces.data.allow-service-account-token";

    @Override
    public Set<String> getPropertyNames() {
      return Set.of(TOKEN);
    }

    @Override
    public String getValue(String name) {
      return TOKEN.equals(name) ? "true" : null;
    }

    @Override
    public String getName() {
      return "sluice-sandbox-walk-through-policy";
    }

    @Override
    public int getOrdinal() {
      return 40;
    }
  }

  private static String value(ConfigSourceContext context, String name, String fallback) {
    ConfigValue value = context.getValue(name);
    return value == null || value.getValue() == null ? fallback : value.getValue();
  }

  /** Answers the datasource keys, starting the embedded server on first use. */
  static final class DatabaseSource implements ConfigSource {
    private static final String URL = "quarkus.datasource.jdbc.url";
    private static final String USER = "quarkus.datasource.username";
    private static final String KUBERNETES = "quarkus.kubernetes-client.api-server-url";
    private final Path dataDir;

    DatabaseSource(Path dataDir) {
      this.dataDir = dataDir;
    }

    @Override
    public Set<String> getPropertyNames() {
      return Set.of(URL, USER, KUBERNETES);
    }

    @Override
    public Map<String, String> getProperties() {
      return Map.of(URL, getValue(URL), USER, getValue(USER), KUBERNETES, getValue(KUBERNETES));
    }

    @Override
    public String getValue(String name) {
      return switch (name) {
        case URL -> SandboxDatabase.jdbcUrl(dataDir);
        case USER -> "postgres";
        case KUBERNETES -> SandboxCluster.url();
        default -> null;
      };
    }

    @Override
    public String getName() {
      return "sluice-sandbox-database";
    }

    @Override
    public int getOrdinal() {
      return 50;
    }
  }
}
