package io.sluice.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live only while the reconciler's claim loop runs: a replica whose loop died (an Error it could
 * not survive) or stalls still answers HTTP, but no job of its claims moves. Failing liveness gets
 * it restarted instead of leaving a zombie. A database outage does not fail it: the loop keeps
 * going round while it retries.
 */
@Liveness
@ApplicationScoped
public class ReconcilerLivenessCheck implements HealthCheck {
  /** Longer than any single round: a claim statement is bounded by the pool's acquisition wait. */
  static final Duration STALL = Duration.ofMinutes(2);

  private final ReconcileRuntime runtime;

  public ReconcilerLivenessCheck(ReconcileRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public HealthCheckResponse call() {
    ReconcileLoop loop = runtime.loop();
    if (loop == null) {
      return HealthCheckResponse.named("reconciler")
          .up()
          .withData("reconciler", "disabled")
          .build();
    }
    return HealthCheckResponse.named("reconciler").status(loop.alive(STALL)).build();
  }
}
