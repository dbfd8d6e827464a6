package io.sluice.job;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0 3 * * *",
        "*/15 * * * *",
        "0 0 1 JAN *",
        "30 2 * * MON-FRI",
        "0 9-17 * * 1,3,5",
        "@hourly",
        "@daily",
        "@weekly"
      })
  void acceptsWhatCronJobsAccept(String expression) {
    assertTrue(
        CronSchedule.problem(expression).isEmpty(), () -> CronSchedule.problem(expression).get());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "* * * *",
        "0 0 * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 32 * *",
        "@every 5m",
        "@sometimes",
        "CRON_TZ=UTC 0 3 * * *",
        "a b c d e"
      })
  void refusesEverythingElse(String expression) {
    assertTrue(CronSchedule.problem(expression).isPresent(), expression);
  }
}
