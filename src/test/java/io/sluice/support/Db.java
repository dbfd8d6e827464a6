package io.sluice.support;

import io.sluice.api.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads PostgreSQL directly, to assert what was (or was not) stored, independent of the API. */
public final class Db {
  private Db() {}

  public static long count(String sql, Object... params) {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, params)) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Rows a request could have stored in a namespace: jobs, pipelines, their revisions and runs, and
   * the events of callers (not those the reconciler writes by itself, asynchronously).
   */
  public static long rowsInNamespace(String namespace) {
    return count("select count(*) from jobs where namespace = ?", namespace)
        + count(
            "select count(*) from job_revisions r join jobs j on j.id = r.job_id where j.namespace = ?",
            namespace)
        + count("select count(*) from runs where namespace = ?", namespace)
        + count("select count(*) from pipelines where namespace = ?", namespace)
        + count(
            "select count(*) from pipeline_revisions r join pipelines p on p.id = r.pipeline_id"
                + " where p.namespace = ?",
            namespace)
        + count("select count(*) from pipeline_runs where namespace = ?", namespace)
        + count(
            "select count(*) from audit_events where namespace = ? and actor <> 'sluice'",
            namespace);
  }

  /** The row version PostgreSQL gave a job's row (its xmin): any write to the row changes it. */
  public static long jobRowVersion(java.util.UUID jobId) {
    return count("select xmin::text::bigint from jobs where id = ?", jobId);
  }

  /** The first column of the first row, as bytes (null for SQL NULL). */
  public static byte[] bytes(String sql, Object... params) {
    return first(sql, params, rs -> rs.getBytes(1));
  }

  /** The first column of the first row, as text (null for SQL NULL). */
  public static String text(String sql, Object... params) {
    return first(sql, params, rs -> rs.getString(1));
  }

  private static <T> T first(String sql, Object[] params, Sql.Row<T> column) {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, params)) {
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row: " + sql);
        }
        return column.read(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void execute(String sql, Object... params) {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, params)) {
      ps.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code sql} in a transaction of its own connection and keeps that transaction open (its
   * locks held) while {@code whileOpen} runs; rolls it back after.
   */
  public static void inOpenTransaction(String sql, List<Object> params, Runnable whileOpen) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = prepare(c, sql, params.toArray())) {
        ps.execute();
      }
      try {
        whileOpen.run();
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code whileInstalled} with a row trigger named {@code name}, {@code BEFORE} each {@code
   * event} (INSERT, UPDATE) on {@code table}, doing {@code action} to the rows matching {@code
   * when}; drops it after.
   */
  public static void withTrigger(
      String name,
      String event,
      String table,
      String when,
      String action,
      Runnable whileInstalled) {
    execute(
        "CREATE FUNCTION "
            + name
            + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF "
            + when
            + " THEN "
            + action
            + "; END IF; RETURN NEW; END $$");
    execute(
        "CREATE TRIGGER "
            + name
            + " BEFORE "
            + event
            + " ON "
            + table
            + " FOR EACH ROW EXECUTE FUNCTION "
            + name
            + "()");
    try {
      whileInstalled.run();
    } finally {
      execute("DROP TRIGGER " + name + " ON " + table);
      execute("DROP FUNCTION " + name + "()");
    }
  }

  /**
   * {@link #withTrigger}, with {@code action} taken for the first row that meets {@code when} only:
   * a sequence of the same name counts those rows, and is not rolled back with the transaction that
   * used it. Returns how many rows met {@code when} while it was installed.
   */
  public static long withTriggerOnce(
      String name,
      String event,
      String table,
      String when,
      String action,
      Runnable whileInstalled) {
    execute("CREATE SEQUENCE " + name);
    try {
      withTrigger(
          name, event, table, when + " AND nextval('" + name + "') = 1", action, whileInstalled);
      return count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + name);
    } finally {
      execute("DROP SEQUENCE " + name);
    }
  }

  /** {@code sql} prepared on {@code c} with {@code params} bound in order. */
  private static PreparedStatement prepare(Connection c, String sql, Object[] params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
    return ps;
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        PostgresResource.database().jdbcUrl("postgres"), "postgres", "");
  }
}
