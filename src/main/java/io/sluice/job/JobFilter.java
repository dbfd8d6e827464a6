package io.sluice.job;

import io.sluice.api.SluiceException;
import java.util.Arrays;
import java.util.Locale;

/** Filters of the job lists, parsed from query parameters (bad values answer 400). */
public record JobFilter(
    String namespace, JobType type, Workload workload, JobPhase phase, LabelSelector selector) {

  public static JobFilter of(
      String namespace, String type, String workload, String phase, String labelSelector) {
    return new JobFilter(
        namespace,
        parse("type", type, JobType.class),
        parse("workload", workload, Workload.class),
        parse("phase", phase, JobPhase.class),
        LabelSelector.parse(labelSelector));
  }

  private static <E extends Enum<E>> E parse(String name, String value, Class<E> type) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw SluiceException.badParameter(
          name,
          "must be one of " + Arrays.toString(type.getEnumConstants()) + ", not '" + value + "'");
    }
  }
}
