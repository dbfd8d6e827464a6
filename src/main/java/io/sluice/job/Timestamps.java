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

  /** {@code instant} as the JDBC driver binds a {@code timestamptz} ({@code null} stays null). */
  public static java.time.OffsetDateTime column(Instant instant) {
    return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
  }

  /** The {@code timestamptz} in {@code column} of the current row, or null. */
  public static Instant read(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
    java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
