package io.sluice.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time written to PostgreSQL, which keeps microseconds: truncated here so the value a write
 * answers with is the value later reads return.
 */
public final class Timestamps {
  private Timestamps() {}

  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
