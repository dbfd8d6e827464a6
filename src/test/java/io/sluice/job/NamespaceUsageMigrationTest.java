package io.sluice.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.support.PostgresResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V13 on a database that already holds jobs, as an upgrade meets it: the quota usage it
 * fills in from the live jobs, and the trigger that keeps it in step with every later write of a
 * job, whichever code makes it (another replica still on the old version included).
 */
class NamespaceUsageMigrationTest {
  private static final String DB = "migration_v13";

  @Test
  void theUpgradeCountsTheLiveJobsAndEveryLaterWriteKeepsTheCountTrue() throws Exception {
    var server = PostgresResource.database();
    try (Connection admin =
            DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "");
        Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB);
      s.execute("CREATE DATABASE " + DB);
    }
    String url = server.jdbcUrl(DB);
    migrate(url, "12");
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      insert(s, "a", "one", "{\"image\":\"x\"}");
      insert(s, "a", "two", "{\"image\":\"xyz\"}");
      insert(s, "b", "three", "{\"image\":\"x\"}");
      s.execute("UPDATE jobs SET deleted_at = now() WHERE name = 'three'");

      migrate(url, null);
      assertEquals(List.of("a 2 " + (bytes(s, "one") + bytes(s, "two"))), usage(s));

      insert(s, "b", "four", "{\"image\":\"x\"}");
      s.execute("UPDATE jobs SET spec = '{\"image\":\"a-longer-image\"}' WHERE name = 'one'");
      s.execute("UPDATE jobs SET phase = 'READY' WHERE name = 'two'");
      s.execute("UPDATE jobs SET deleted_at = now() WHERE name = 'two'");
      s.execute("DELETE FROM jobs WHERE name = 'three'");
      assertEquals(
          List.of("a 1 " + bytes(s, "one"), "b 1 " + bytes(s, "four")),
          usage(s),
          "usage after an insert, a spec change, a status change, a delete and a purge");
      assertEquals(
          usage(s),
          rows(
              s,
              "SELECT namespace || ' ' || count(*) || ' ' || sum(spec_bytes) FROM jobs"
                  + " WHERE deleted_at IS NULL GROUP BY namespace ORDER BY namespace"),
          "the kept usage is what counting the live jobs gives");
    }
  }

  private static void migrate(String url, String target) {
    var config =
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration");
    if (target != null) {
      config.target(target);
    }
    config.load().migrate();
  }

  private static void insert(Statement s, String namespace, String name, String spec)
      throws SQLException {
    s.execute(
        "INSERT INTO jobs (id, namespace, name, type, workload, current_revision, spec, spec_hash,"
            + " version, phase, created_at, created_by, updated_at) VALUES (gen_random_uuid(), '"
            + namespace
            + "', '"
            + name
            + "', 'ingestion', 'batch', 1, '"
            + spec
            + "', 'h', 0, 'PENDING', now(), 'test', now())");
  }

  private static long bytes(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT spec_bytes FROM jobs WHERE name = '" + name + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> usage(Statement s) throws SQLException {
    return rows(
        s,
        "SELECT namespace || ' ' || jobs || ' ' || spec_bytes FROM namespace_usage"
            + " WHERE jobs > 0 ORDER BY namespace");
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
