package io.sluice.engine;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.job.Workload;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Which engine operators the cluster offers, found through API discovery (which every authenticated
 * client may read: no extra RBAC). Checked at start-up and then every {@code
 * sluice.reconcile.engine-check-interval}, never per pass: a job of an engine that is not installed
 * waits with condition OperatorMissing, and its passes back off, instead of retrying hot.
 */
@ApplicationScoped
public class Engines {
  private static final Logger LOG = Logger.getLogger(Engines.class);

  /** The engines Sluice drives, with the custom resource each is driven through. */
  public enum Engine {
    SPARK(
        Workload.SPARK,
        SparkApplication.class,
        SparkApplication.GROUP,
        SparkApplication.VERSION,
        "sparkapplications",
        "the Kubeflow Spark operator"),
    FLINK(
        Workload.FLINK,
        FlinkDeployment.class,
        FlinkDeployment.GROUP,
        FlinkDeployment.VERSION,
        "flinkdeployments",
        "the Apache Flink Kubernetes operator");

    public final Workload workload;
    public final Class<? extends HasMetadata> kind;
    public final String group;
    public final String version;
    public final String plural;
    public final String operator;

    Engine(
        Workload workload,
        Class<? extends HasMetadata> kind,
        String group,
        String version,
        String plural,
        String operator) {
      this.workload = workload;
      this.kind = kind;
      this.group = group;
      this.version = version;
      this.plural = plural;
      this.operator = operator;
    }

    public String crd() {
      return plural + "." + group;
    }

    public String apiVersion() {
      return group + "/" + version;
    }

    public String kindName() {
      return HasMetadata.getKind(kind);
    }

    public String value() {
      return workload.value();
    }

    /** The engine a workload runs on, or null for pod workloads. */
    public static Engine of(Workload workload) {
      for (Engine e : values()) {
        if (e.workload == workload) {
          return e;
        }
      }
      return null;
    }

    /** What a job's status says while this engine's operator is missing. */
    public String missing() {
      return "The cluster has no "
          + crd()
          + " CustomResourceDefinition ("
          + kindName()
          + " "
          + apiVersion()
          + "): install "
          + operator
          + "; Sluice applies the job once it finds it";
    }
  }

  private final KubernetesClient client;
  private final Map<Engine, Boolean> available = new EnumMap<>(Engine.class);
  private final List<BiConsumer<Engine, Boolean>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean checked;

  public Engines(KubernetesClient client) {
    this.client = client;
  }

  /** Told when an engine appears or disappears (after the first check too). */
  public void onChange(BiConsumer<Engine, Boolean> listener) {
    listeners.add(listener);
  }

  /** Whether the engine's custom resource is served, as of the last check (checks once first). */
  public boolean available(Engine engine) {
    if (!checked) {
      refresh();
    }
    synchronized (available) {
      return available.getOrDefault(engine, false);
    }
  }

  /** Every engine and whether it is available. */
  public Map<Engine, Boolean> all() {
    if (!checked) {
      refresh();
    }
    synchronized (available) {
      Map<Engine, Boolean> copy = new EnumMap<>(Engine.class);
      for (Engine e : Engine.values()) {
        copy.put(e, available.getOrDefault(e, false));
      }
      return copy;
    }
  }

  /**
   * Asks API discovery again. An engine whose group cannot be read because the API server is
   * unreachable keeps its last answer: an outage is not an uninstall.
   */
  public void refresh() {
    for (Engine engine : Engine.values()) {
      Boolean now = served(engine);
      if (now == null) {
        continue;
      }
      Boolean before;
      synchronized (available) {
        before = available.put(engine, now);
      }
      if (!now.equals(before)) {
        LOG.infof(
            "%s %s: %s",
            engine.kindName(),
            now ? "is served" : "is not served",
            now ? engine.operator + " is installed" : engine.missing());
        listeners.forEach(l -> l.accept(engine, now));
      }
    }
    checked = true;
  }

  private Boolean served(Engine engine) {
    try {
      APIResourceList list = client.getApiResources(engine.apiVersion());
      return list != null
          && list.getResources() != null
          && list.getResources().stream().anyMatch(r -> engine.plural.equals(r.getName()));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      LOG.debugf("Discovery of %s failed: %s", engine.apiVersion(), e.getMessage());
      return null;
    } catch (RuntimeException e) {
      LOG.debugf("Discovery of %s failed: %s", engine.apiVersion(), e.getMessage());
      return null;
    }
  }
}
