package io.sluice.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.config.SluiceConfig;
import io.sluice.reconcile.ReconcileRuntime;
import io.sluice.run.RunsEnded;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs the pipeline engine beside the reconciler (where the reconciler runs): hears of ended runs
 * from the status observer and of API changes once they commit, and wakes the reconciler when a
 * pass started or cancelled step runs.
 */
@ApplicationScoped
public class PipelineRuntime {
  private static final Logger LOG = Logger.getLogger(PipelineRuntime.class);

  private final DataSource db;
  private final SluiceConfig config;
  private final ReconcileRuntime reconcile;
  private final io.micrometer.core.instrument.MeterRegistry registry;
  private PipelineEngine engine;

  public PipelineRuntime(
      DataSource db,
      SluiceConfig config,
      ReconcileRuntime reconcile,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this.registry = registry;
    this.db = db;
    this.config = config;
    this.reconcile = reconcile;
  }

  void start(@Observes @Priority(110) StartupEvent event) {
    if (!config.reconcile().enabled() || reconcile.loop() == null) {
      LOG.info("Pipeline engine off: it runs where the reconciler runs");
      return;
    }
    engine =
        new PipelineEngine(
            db,
            config.pipelines(),
            jobs -> {
              if (reconcile.loop() != null) {
                reconcile.loop().wake();
              }
            });
    reconcile.status().onRunEnded(engine::runEnded);
    engine.reportTo(new Micrometer(registry));
    engine.start();
    LOG.infof("Pipeline engine started with %d workers", config.pipelines().workers());
  }

  void stop(@Observes ShutdownEvent event) {
    if (engine != null) {
      engine.stop();
    }
  }

  /** A pipeline run was started, cancelled or retried: advance it now. */
  void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) PipelineChanged change) {
    if (engine != null) {
      engine.wake();
    }
    if (change.jobsChanged() && reconcile.loop() != null) {
      reconcile.loop().wake();
    }
  }

  void onRunsEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunsEnded ended) {
    if (engine != null) {
      engine.jobRunsEnded(ended.jobId());
    }
  }

  /** The engine's figures as Micrometer meters (on /q/metrics). */
  private record Micrometer(io.micrometer.core.instrument.MeterRegistry registry)
      implements PipelineEngine.Metrics {
    @Override
    public void pass(long nanos) {
      io.micrometer.core.instrument.Timer.builder("sluice.pipeline.passes")
          .description("Passes of the pipeline engine over one pipeline run")
          .register(registry)
          .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void attemptsStarted(int n) {
      if (n > 0) {
        registry.counter("sluice.pipeline.attempts.started").increment(n);
      }
    }

    @Override
    public void runEnded(io.sluice.run.RunPhase phase) {
      registry.counter("sluice.pipeline.runs.ended", "phase", phase.name()).increment();
    }

    @Override
    public void scheduledRun(boolean started) {
      registry
          .counter("sluice.pipeline.runs.scheduled", "outcome", started ? "started" : "skipped")
          .increment();
    }
  }

  /** The engine, while it runs here (null otherwise); for tests. */
  public PipelineEngine engine() {
    return engine;
  }
}
