package io.sluice.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.config.SluiceConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at start-up which mode Sluice runs in, and in sandbox mode runs the simulated kubelet and
 * controllers against the in-process API server.
 */
@ApplicationScoped
public class SandboxRuntime {
  private static final Logger LOG = Logger.getLogger(SandboxRuntime.class);

  private final SluiceConfig config;
  private final KubernetesClient client;
  private final String datasourceUrl;
  private Simulator simulator;

  public SandboxRuntime(
      SluiceConfig config,
      KubernetesClient client,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String datasourceUrl) {
    this.config = config;
    this.client = client;
    this.datasourceUrl = datasourceUrl;
  }

  /** What runs where, for the log and {@code GET /api/v1/info}. */
  public record Mode(
      String name,
      String kubernetes,
      String database,
      boolean simulatedCluster,
      boolean embeddedDatabase) {}

  public Mode mode() {
    String kubernetesUrl = client.getMasterUrl().toString().replaceAll("/$", "");
    boolean simulated =
        config.sandbox().enabled()
            && kubernetesUrl.equals(
                String.valueOf(System.getProperty(SandboxCluster.URL_PROPERTY))
                    .replaceAll("/$", ""));
    boolean embedded =
        config.sandbox().enabled()
            && datasourceUrl.equals(System.getProperty(SandboxDatabase.URL_PROPERTY));
    return new Mode(
        simulated || embedded ? "sandbox" : "cluster",
        kubernetesUrl,
        datasourceUrl.replaceAll("\\?.*", ""),
        simulated,
        embedded);
  }

  void start(@Observes @Priority(50) StartupEvent event) {
    Mode mode = mode();
    if (mode.name().equals("sandbox")) {
      LOG.infof(
          "Sluice is running in SANDBOX mode: %s PostgreSQL at %s, %s Kubernetes API at %s. Data is kept in %s.",
          mode.embeddedDatabase() ? "embedded" : "external",
          mode.database(),
          mode.simulatedCluster() ? "simulated" : "real",
          mode.kubernetes(),
          config.sandbox().dataDir());
    } else {
      LOG.infof(
          "Sluice is running in CLUSTER mode: Kubernetes API at %s, PostgreSQL at %s.",
          mode.kubernetes(), mode.database());
    }
    if (mode.simulatedCluster()) {
      SandboxOperators.install(client, config.sandbox().operators());
      simulator =
          new Simulator(
              client,
              new SandboxNode(
                  config.sandbox().nodeCpu(),
                  config.sandbox().nodeMemory(),
                  config.sandbox().storageClasses(),
                  config.sandbox().nonRootImages()),
              config.sandbox().podStartDelay(),
              config.sandbox().runDuration(),
              config.sandbox().tick());
      simulator.operators(config.sandbox().operators());
      simulator.start();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (simulator != null) {
      simulator.stop();
    }
  }
}
