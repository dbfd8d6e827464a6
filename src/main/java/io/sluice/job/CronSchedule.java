package io.sluice.job;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the cron dialect Kubernetes CronJobs accept: five fields (minute hour day-of-month month
 * day-of-week) with ranges, lists, steps and names, or one of the {@code @hourly}-style macros.
 * Time zone prefixes are refused: Sluice schedules in the cluster's time zone.
 */
public final class CronSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private CronSchedule() {}

  /** The parsed schedule, or an explanation of why it is not one. */
  public static Optional<String> problem(String expression) {
    try {
      parse(expression);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Why a valid schedule can never fire ({@code 0 0 31 2 *}: there is no 31 February), or empty.
   * Looks eight years ahead, so a leap-day schedule counts as firing.
   */
  public static Optional<String> neverFires(String expression) {
    java.time.ZonedDateTime from = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
    try {
      Optional<java.time.ZonedDateTime> next =
          com.cronutils.model.time.ExecutionTime.forCron(parse(expression)).nextExecution(from);
      if (next.isPresent() && next.get().isBefore(from.plusYears(8))) {
        return Optional.empty();
      }
    } catch (RuntimeException e) {
      // cron-utils gives up on some impossible dates by throwing: the schedule never fires.
    }
    return Optional.of(
        "never fires: no date matches it (e.g. a day of the month the month never has)");
  }

  /** The expression as written to a CronJob: macros kept, whitespace collapsed. */
  public static String normalise(String expression) {
    return expression.trim().replaceAll("\\s+", " ");
  }

  public static Cron parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("must not be blank");
    }
    String trimmed = expression.trim();
    if (trimmed.startsWith("@")) {
      String macro = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
      if (macro == null) {
        throw new IllegalArgumentException(
            "unknown macro '" + trimmed + "'; use one of " + MACROS.keySet());
      }
      trimmed = macro;
    }
    if (trimmed.contains("TZ=")) {
      throw new IllegalArgumentException("time zone prefixes (CRON_TZ=, TZ=) are not supported");
    }
    if (trimmed.split("\\s+").length != 5) {
      throw new IllegalArgumentException(
          "must have five fields (minute hour day-of-month month day-of-week), e.g. '0 3 * * *'");
    }
    try {
      Cron cron = PARSER.parse(trimmed);
      cron.validate();
      return cron;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a valid cron expression: " + e.getMessage());
    }
  }
}
