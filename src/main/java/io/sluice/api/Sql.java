package io.sluice.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The one way a repository runs a query: on the transaction's connection (a pooled one outside a
 * transaction), parameters bound in order, every row mapped, a failure wrapped with what Sluice was
 * doing.
 */
public final class Sql {
  private Sql() {}

  /**
   * "Not deleted", for a statement that finds jobs by id: {@code coalesce(deleted_at, '-infinity')
   * = '-infinity'}, not {@code deleted_at IS NULL}. The latter matches the predicate of every
   * {@code jobs_live_*} index, and a PostgreSQL without statistics on {@code jobs} yet (a new table
   * before autovacuum's first ANALYZE, or autovacuum off) planned a whole scan of one of them for
   * each such statement — 1,500 pages and 4,000 rows filtered to write one job's readiness. Written
   * this way only the primary key can find the rows, whatever the statistics.
   *
   * @param alias the table's alias in the statement, with its dot ({@code "j."}), or ""
   */
  public static String liveById(String alias) {
    return "coalesce(" + alias + "deleted_at, '-infinity') = '-infinity'";
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** The rows {@code sql} selects, each mapped by {@code row}; {@code failure} says what failed. */
  public static <T> List<T> query(
      DataSource db, String failure, String sql, List<?> params, Row<T> row) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(row.read(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new StoreException(failure, e);
    }
  }

  /**
   * Binds {@code params}; UUID and String arrays go as PostgreSQL {@code uuid[]} and {@code
   * text[]}.
   */
  public static void bind(Connection c, PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i);
      if (value instanceof UUID[] ids) {
        value = c.createArrayOf("uuid", ids);
      } else if (value instanceof String[] texts) {
        value = c.createArrayOf("text", texts);
      }
      ps.setObject(i + 1, value);
    }
  }
}
