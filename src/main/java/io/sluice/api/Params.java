package io.sluice.api;

import java.util.Arrays;
import java.util.Locale;

/**
 * Parsing of path and query parameters. Parameters are bound as strings and parsed here, so a bad
 * value is a 400 problem naming the parameter (JAX-RS would answer a bare 404).
 */
public final class Params {
  private Params() {}

  /** A positive integer, e.g. a revision or run number. */
  public static int positive(String name, String value) {
    return bounded(name, value, 1, Integer.MAX_VALUE);
  }

  /** An optional positive integer: null when absent. */
  public static Integer optionalPositive(String name, String value) {
    return value == null || value.isBlank() ? null : positive(name, value);
  }

  /** An integer within [min, max]. */
  public static int bounded(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value == null ? "" : value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw SluiceException.badParameter(
        name,
        max == Integer.MAX_VALUE
            ? "must be an integer of at least " + min
            : "must be an integer between " + min + " and " + max);
  }

  public static boolean bool(String name, String value) {
    if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
      return Boolean.parseBoolean(value);
    }
    throw SluiceException.badParameter(name, "must be true or false");
  }

  /** An optional flag: false when absent. */
  public static boolean optionalBool(String name, String value) {
    return value != null && !value.isBlank() && bool(name, value);
  }

  /** An optional enum constant, matched case-insensitively by name. */
  public static <E extends Enum<E>> E optionalEnum(String name, String value, Class<E> type) {
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
