package io.sluice.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.config.SluiceConfig;
import io.sluice.job.JobChanged;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.net.InetAddress;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Wires the reconciler's plain classes together and ties them to the application's life: the
 * informers, the status observer and the claim loop start with Sluice and stop with it.
 */
@ApplicationScoped
public class ReconcileRuntime {
  private static final Logger LOG = Logger.getLogger(ReconcileRuntime.class);

  private final KubernetesClient client;
  private final DataSource db;
  private final SluiceConfig config;
  private final io.micrometer.core.instrument.MeterRegistry registry;
  private ClusterCache cache;
  private ReconcileLoop loop;
  private Applier applier;
  private StatusObserver observer;
  private StatusStore status;
  private java.util.concurrent.ScheduledExecutorService gc;

  private final io.sluice.policy.Admission admission;
  private final io.sluice.run.LogKeeper logKeeper;
  private final io.sluice.engine.Engines engines;

  public ReconcileRuntime(
      KubernetesClient client,
      DataSource db,
      SluiceConfig config,
      io.micrometer.core.instrument.MeterRegistry registry,
      io.sluice.policy.Admission admission,
      io.sluice.run.LogKeeper logKeeper,
      io.sluice.engine.Engines engines) {
    this.engines = engines;
    this.admission = admission;
    this.logKeeper = logKeeper;
    this.client = client;
    this.db = db;
    this.config = config;
    this.registry = registry;
  }

  void start(@Observes @Priority(100) StartupEvent event) {
    if (!config.reconcile().enabled()) {
      LOG.info("Reconciler disabled (sluice.reconcile.enabled=false)");
      return;
    }
    if (config.kubernetes().requireAtStartup()) {
      requireCluster();
    }
    cache = new ClusterCache();
    ReconcileStore store = new ReconcileStore(db);
    applier =
        new Applier(
            client,
            cache,
            config.reconcile().conflictRetries(),
            config.reconcile().parallelCreates());
    Reconciler reconciler = new Reconciler(client, cache, applier, store, config.reconcile());
    reconciler.reportTo(ReconcileMetrics.micrometer(registry));
    reconciler.guardWith(
        (namespace, spec) ->
            admission.identity(namespace, spec).stream()
                .map(e -> e.field() + ": " + e.message())
                .toList());
    loop = new ReconcileLoop(workerName(), store, reconciler, cache, config.reconcile());
    ReconcileLoop running = loop;
    // Supplier gauges hold their target strongly (the object form only weakly).
    io.micrometer.core.instrument.Gauge.builder("sluice.reconcile.in.flight", running::inFlight)
        .description("Reconcile passes running now in this replica")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("sluice.reconcile.queue.depth", store::dueCount)
        .description("Jobs due for a reconcile pass, across replicas")
        .register(registry);
    status = new StatusStore(store);
    status.onRunTransition(
        phase ->
            io.micrometer.core.instrument.Counter.builder("sluice.runs.transitions")
                .description(
                    "Runs reaching a phase (RUNNING, SUCCEEDED, FAILED) as observed on the cluster")
                .tag("phase", phase.name())
                .register(registry)
                .increment());
    status.onRunEnded(logKeeper::ended);
    reconciler.announceNewRunJobsTo(status);
    observer = new StatusObserver(cache, status, store, loop::wake);
    cache.addListener(observer);
    cache.start(client, config.reconcile().resync().toMillis());
    reconciler.enginesFrom(engines);
    engines.onChange(
        (engine, served) -> {
          if (served) {
            cache.startEngine(engine.kind);
          } else {
            cache.stopEngine(engine.kind);
          }
          store.markDue(engine.workload);
          loop.wake();
        });
    engines.refresh();
    engines
        .all()
        .forEach(
            (engine, served) -> {
              if (served) {
                cache.startEngine(engine.kind);
              }
            });
    observer.start();
    loop.start();
    OrphanCollector collector = new OrphanCollector(cache, applier, db);
    gc =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-orphan-collector");
              t.setDaemon(true);
              return t;
            });
    long every = config.reconcile().gcInterval().toMillis();
    gc.scheduleWithFixedDelay(
        () -> {
          try {
            collector.collect();
          } catch (RuntimeException e) {
            LOG.warnf("Orphan collection failed: %s", e.getMessage());
          }
        },
        every,
        every,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    long check = config.reconcile().cacheCheckInterval().toMillis();
    gc.scheduleWithFixedDelay(
        () -> {
          try {
            cache.verify(config.reconcile().lease());
          } catch (RuntimeException e) {
            LOG.warnf("Checking the caches against the API server failed: %s", e.getMessage());
          }
        },
        check,
        check,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    long discovery = config.reconcile().engineCheckInterval().toMillis();
    gc.scheduleWithFixedDelay(
        () -> {
          try {
            engines.refresh();
          } catch (RuntimeException e) {
            LOG.warnf("Asking which engine operators are installed failed: %s", e.getMessage());
          }
        },
        discovery,
        discovery,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    LOG.infof(
        "Reconciler %s started against %s with %d workers",
        loop.worker(), client.getMasterUrl(), config.reconcile().workers());
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) {
      gc.shutdownNow();
      loop.stop();
      applier.close();
      observer.stop();
      cache.stop();
    }
  }

  /** Wakes the reconciler once a change is committed, not before. */
  void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobChanged change) {
    if (loop != null) {
      loop.wake();
    }
  }

  /** Fails start-up with a message that says what to do, instead of running without a cluster. */
  private void requireCluster() {
    try {
      client.getKubernetesVersion();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "No Kubernetes API reachable at "
              + client.getMasterUrl()
              + ". Configure one (a kubeconfig,"
              + " an in-cluster service account, or quarkus.kubernetes-client.api-server-url), or run"
              + " the sandbox with -Dsluice.sandbox.enabled=true. Sluice never falls back to the"
              + " sandbox by itself.");
    }
  }

  public ClusterCache cache() {
    return cache;
  }

  /** Where observed run status is written, while the reconciler runs here (null otherwise). */
  public StatusStore status() {
    return status;
  }

  /** The claim loop, while the reconciler runs in this replica (null otherwise). */
  public ReconcileLoop loop() {
    return loop;
  }

  private static String workerName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "sluice";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
