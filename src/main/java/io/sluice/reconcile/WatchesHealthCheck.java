package io.sluice.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kubernetes watches are synced and running: a replica whose caches are stale
 * should not take traffic (its status would be stale) until they recover.
 */
@Readiness
@ApplicationScoped
public class WatchesHealthCheck implements HealthCheck {
  private final ReconcileRuntime runtime;

  public WatchesHealthCheck(ReconcileRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public HealthCheckResponse call() {
    ClusterCache cache = runtime.cache();
    if (cache == null) {
      return HealthCheckResponse.named("kubernetes-watches")
          .up()
          .withData("reconciler", "disabled")
          .build();
    }
    return HealthCheckResponse.named("kubernetes-watches")
        .status(cache.synced() && cache.watching())
        .withData("synced", cache.synced())
        .withData("watching", cache.watching())
        .build();
  }
}
