package io.sluice.pipeline;

import com.cronutils.model.time.ExecutionTime;
import io.sluice.job.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** When a pipeline's schedule fires next: cron in the schedule's time zone (default UTC). */
final class PipelineSchedules {
  private PipelineSchedules() {}

  /** The first firing after {@code after}; null without a schedule or when it never fires. */
  static Instant next(PipelineSpec spec, Instant after) {
    if (spec.schedule() == null) {
      return null;
    }
    ZoneId zone =
        spec.schedule().timeZone() == null ? ZoneOffset.UTC : ZoneId.of(spec.schedule().timeZone());
    return ExecutionTime.forCron(CronSchedule.parse(spec.schedule().cron()))
        .nextExecution(after.atZone(zone))
        .map(t -> t.toInstant())
        .orElse(null);
  }
}
