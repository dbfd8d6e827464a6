package io.sluice.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the reconciler reports to Prometheus: pass duration by outcome and Kubernetes API failures
 * by reason. {@link #NONE} records nothing (tests that build reconcilers by hand).
 */
public interface ReconcileMetrics {
  void pass(String outcome, Duration took);

  void kubernetesError(String reason);

  ReconcileMetrics NONE =
      new ReconcileMetrics() {
        @Override
        public void pass(String outcome, Duration took) {}

        @Override
        public void kubernetesError(String reason) {}
      };

  /**
   * Micrometer-backed metrics. A pass's timer is looked up once per outcome (a handful: applied,
   * unchanged, rolled-back, purged, failed), not built and registered again by every pass.
   */
  static ReconcileMetrics micrometer(MeterRegistry registry) {
    java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    return new ReconcileMetrics() {
      @Override
      public void pass(String outcome, Duration took) {
        timers
            .computeIfAbsent(
                outcome,
                o ->
                    Timer.builder("sluice.reconcile.duration")
                        .description("Time of one reconcile pass of one job")
                        .tag("outcome", o)
                        .publishPercentileHistogram()
                        .register(registry))
            .record(took);
      }

      @Override
      public void kubernetesError(String reason) {
        Counter.builder("sluice.kubernetes.api.errors")
            .description("Reconcile passes that failed on the Kubernetes API, by reason")
            .tag("reason", reason)
            .register(registry)
            .increment();
      }
    };
  }
}
