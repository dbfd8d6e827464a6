package io.sluice.engine;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as Spark and Flink write them ({@code 512m}, {@code 2g}, {@code 1024mb}): binary
 * units and a required unit, as both engines' configuration parsers read them. Not Kubernetes
 * quantities: {@code 2Gi} means nothing to {@code spark.executor.memory}, and {@code 512m} is half
 * a byte to Kubernetes.
 */
public final class MemorySize {
  private MemorySize() {}

  private static final Pattern SIZE =
      Pattern.compile("([1-9][0-9]{0,12})(k|kb|m|mb|g|gb|t|tb)", Pattern.CASE_INSENSITIVE);

  public static final String RULE =
      "must be a size in Spark/Flink units: a number and k, m, g or t (e.g. 512m, 4g; not a"
          + " Kubernetes quantity such as 4Gi)";

  private static final long MIB = 1024L * 1024;

  /** The size in bytes, or empty when it is not one (or absurdly large: over 1 PiB). */
  public static Optional<Long> bytes(String size) {
    if (size == null) {
      return Optional.empty();
    }
    Matcher m = SIZE.matcher(size);
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT).charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 40;
        };
    if (n > (1L << 50) >> shift) {
      return Optional.empty();
    }
    return Optional.of(n << shift);
  }

  public static boolean valid(String size) {
    return bytes(size).isPresent();
  }

  /** Whole mebibytes, rounded up: how the engines size the pods they ask Kubernetes for. */
  public static long mebibytes(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }

  /** A Kubernetes quantity for a byte count ({@code 2432Mi}). */
  public static String quantity(long bytes) {
    return mebibytes(bytes) + "Mi";
  }

  /**
   * The memory of a Spark pod: the heap plus its overhead (given, or Spark's default factor of the
   * heap — 0.1 for JVM applications, 0.4 for Python — and at least 384 MiB).
   */
  public static long sparkPod(String heap, String overhead, boolean python) {
    // Spark works in whole MiB: overhead = max(factor × heap MiB, truncated; 384).
    long heapMib = mebibytes(bytes(heap).orElse(bytes(SparkOptions.DEFAULT_MEMORY).orElseThrow()));
    long overheadMib =
        overhead != null && valid(overhead)
            ? mebibytes(bytes(overhead).orElseThrow())
            : Math.max(384, (long) (heapMib * (python ? 0.4 : 0.1)));
    return (heapMib + overheadMib) * MIB;
  }
}
