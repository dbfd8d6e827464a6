package io.sluice.console;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The console's overview figures, read straight from PostgreSQL: each namespace the caller sees,
 * with its live jobs by phase and its pipelines. Namespaces exist only through what lives in them,
 * so a restricted caller also sees its granted namespaces while they are empty.
 */
@ApplicationScoped
public class ConsoleQueries {
  private static final int MAX_NAMESPACES = 1000;
  private final DataSource db;

  public ConsoleQueries(DataSource db) {
    this.db = db;
  }

  /** A namespace on the overview. */
  @io.quarkus.qute.TemplateData
  public record NamespaceSummary(
      String name, long jobs, long ready, long failing, long progressing, long pipelines) {}

  public List<NamespaceSummary> namespaces(Optional<Set<String>> visible) {
    Map<String, long[]> counts = new TreeMap<>();
    visible.ifPresent(set -> set.forEach(ns -> counts.put(ns, new long[5])));
    String within = visible.isPresent() ? " AND namespace = ANY (?)" : "";
    try (Connection c = db.getConnection();
        PreparedStatement jobs =
            c.prepareStatement(
                "SELECT namespace, phase, count(*) FROM jobs WHERE deleted_at IS NULL"
                    + within
                    + " GROUP BY namespace, phase");
        PreparedStatement pipelines =
            c.prepareStatement(
                "SELECT namespace, count(*) FROM pipelines WHERE deleted_at IS NULL"
                    + within
                    + " GROUP BY namespace")) {
      if (visible.isPresent()) {
        var array = c.createArrayOf("varchar", visible.get().toArray());
        jobs.setArray(1, array);
        pipelines.setArray(1, array);
      }
      try (ResultSet rs = jobs.executeQuery()) {
        while (rs.next()) {
          long[] n = counts.computeIfAbsent(rs.getString(1), k -> new long[5]);
          long count = rs.getLong(3);
          n[0] += count;
          switch (rs.getString(2)) {
            case "READY", "SUCCEEDED" -> n[1] += count;
            case "FAILED", "DEGRADED" -> n[2] += count;
            case "PROGRESSING", "PENDING", "RUNNING" -> n[3] += count;
            default -> {}
          }
        }
      }
      try (ResultSet rs = pipelines.executeQuery()) {
        while (rs.next()) {
          counts.computeIfAbsent(rs.getString(1), k -> new long[5])[4] = rs.getLong(2);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the namespaces", e);
    }
    Map<String, long[]> shown = new LinkedHashMap<>();
    counts.entrySet().stream()
        .limit(MAX_NAMESPACES)
        .forEach(e -> shown.put(e.getKey(), e.getValue()));
    return shown.entrySet().stream()
        .map(
            e -> {
              long[] n = e.getValue();
              return new NamespaceSummary(e.getKey(), n[0], n[1], n[2], n[3], n[4]);
            })
        .toList();
  }
}
