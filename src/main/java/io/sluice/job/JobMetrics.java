package io.sluice.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Jobs by phase, for Prometheus. Counted in the background every 30 s, never on a request or a
 * scrape, so a large jobs table costs one grouped scan per period.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class JobMetrics {
  private final javax.sql.DataSource db;
  private final Map<JobPhase, AtomicLong> byPhase = new EnumMap<>(JobPhase.class);

  public JobMetrics(javax.sql.DataSource db, MeterRegistry registry) {
    this.db = db;
    for (JobPhase phase : JobPhase.values()) {
      AtomicLong value = new AtomicLong();
      byPhase.put(phase, value);
      Gauge.builder("sluice.jobs", value::doubleValue)
          .description("Live jobs by phase (refreshed every 30 s)")
          .tag("phase", phase.name())
          .register(registry);
    }
  }

  @Scheduled(
      every = "30s",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    Map<JobPhase, Long> counted = new EnumMap<>(JobPhase.class);
    try (java.sql.Connection c = db.getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT phase, count(*) FROM jobs WHERE deleted_at IS NULL GROUP BY phase");
        java.sql.ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counted.put(JobPhase.valueOf(rs.getString(1)), rs.getLong(2));
      }
    } catch (java.sql.SQLException e) {
      org.jboss.logging.Logger.getLogger(JobMetrics.class)
          .warnf(
              "Could not count jobs by phase; the gauges keep their last values: %s",
              e.getMessage());
      return;
    }
    byPhase.forEach((phase, value) -> value.set(counted.getOrDefault(phase, 0L)));
  }
}
