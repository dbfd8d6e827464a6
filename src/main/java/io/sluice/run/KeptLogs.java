package io.sluice.run;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;

/**
 * Ended runs' logs in PostgreSQL: per container, the last bytes of its log (with the kubelet's
 * timestamps, so reads can still select by time), gzip-compressed, with whether older lines were
 * cut. One row per run and container, replaced when a run is kept again.
 */
@ApplicationScoped
public class KeptLogs {
  private final DataSource db;

  public KeptLogs(DataSource db) {
    this.db = db;
  }

  /** A kept log: its text (with timestamps), whether it was cut, and when it was kept. */
  public record Kept(String pod, String text, boolean truncated, long bytes, Instant keptAt) {}

  void keep(UUID runId, String pod, String container, byte[] log, boolean truncated) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                INSERT INTO run_logs (run_id, pod, container, content, bytes, truncated, kept_at)
                VALUES (?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (run_id, container) DO UPDATE SET pod = excluded.pod,
                  content = excluded.content, bytes = excluded.bytes,
                  truncated = excluded.truncated, kept_at = excluded.kept_at
                """)) {
      ps.setObject(1, runId);
      ps.setString(2, pod);
      ps.setString(3, container);
      ps.setBytes(4, gzip(log));
      ps.setLong(5, log.length);
      ps.setBoolean(6, truncated);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not keep the log of run " + runId, e);
    }
  }

  public Optional<Kept> find(UUID runId, String container) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pod, content, truncated, bytes, kept_at FROM run_logs WHERE run_id = ? AND container = ?")) {
      ps.setObject(1, runId);
      ps.setString(2, container);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Kept(
                rs.getString(1),
                gunzip(rs.getBytes(2)),
                rs.getBoolean(3),
                rs.getLong(4),
                rs.getTimestamp(5).toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the kept log of run " + runId, e);
    }
  }

  /** Deletes logs kept longer than {@code retention}, in batches; the number deleted. */
  public int purge(Duration retention) {
    int total = 0;
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                DELETE FROM run_logs WHERE ctid IN (
                  SELECT ctid FROM run_logs WHERE kept_at < now() - make_interval(secs => ?) LIMIT 1000)
                """)) {
      ps.setDouble(1, retention.toSeconds());
      for (int n; (n = ps.executeUpdate()) > 0; ) {
        total += n;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not purge kept logs", e);
    }
    return total;
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String gunzip(byte[] data) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
