package io.sluice.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Jobs by phase, for Prometheus. Counted in the background every 30 s, never on a request or a
 * scrape, so a large jobs table costs one grouped scan per period.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class JobMetrics {
  private final EntityManager em;
  private final Map<JobPhase, AtomicLong> byPhase = new EnumMap<>(JobPhase.class);

  public JobMetrics(EntityManager em, MeterRegistry registry) {
    this.em = em;
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
  @Transactional
  void refresh() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT phase, count(*) FROM jobs WHERE deleted_at IS NULL GROUP BY phase")
            .getResultList();
    byPhase.values().forEach(v -> v.set(0));
    for (Object[] row : rows) {
      byPhase.get(JobPhase.valueOf((String) row[0])).set(((Number) row[1]).longValue());
    }
  }
}
