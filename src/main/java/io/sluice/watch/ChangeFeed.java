package io.sluice.watch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads {@code watch_events} in commit order. Ids come from a sequence, so a transaction that took
 * id 7 may commit after the one that took id 8: a reader that skipped 7 would lose it. The feed
 * therefore moves its position only over ids it has seen or knows will never commit. A gap is known
 * to be final once every transaction that could hold it has ended: the ids below the first row seen
 * after the gap were all taken by transactions older than that read's snapshot's xmax, so once the
 * oldest running transaction ({@code xmin}) is past that xmax, the gap is a rollback. One instance
 * per replica, used from one thread.
 */
final class ChangeFeed {
  private static final String COLUMNS =
      "id, kind, namespace, name, number, parent_id, object_id, type";

  private final DataSource db;
  private volatile long position;
  private long gapEnd;
  private long gapXmax;

  ChangeFeed(DataSource db) {
    this.db = db;
  }

  /** Starts after everything already pruned: the next poll settles what is there. */
  void start() throws SQLException {
    position = horizon();
  }

  /** Every id at or below this is settled: delivered, or known never to exist. */
  long position() {
    return position;
  }

  /** The next changes in commit order (at most {@code limit}); the position moves past them. */
  List<Change> poll(int limit) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT pg_snapshot_xmin(s.snap)::text::bigint, pg_snapshot_xmax(s.snap)::text::bigint,"
                    + " e.* FROM (SELECT pg_current_snapshot() AS snap) s LEFT JOIN LATERAL"
                    + " (SELECT "
                    + COLUMNS
                    + " FROM watch_events WHERE id > ? ORDER BY id LIMIT ?) e ON true")) {
      q.setLong(1, position);
      q.setInt(2, limit);
      List<Change> settled = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          if (rs.getObject(3) == null) {
            break;
          }
          long xmin = rs.getLong(1);
          long xmax = rs.getLong(2);
          Change change = change(rs, 3);
          if (change.id() != position + 1 && !gapSettled(change.id(), xmin, xmax)) {
            break;
          }
          settled.add(change);
          position = change.id();
        }
      }
      return settled;
    }
  }

  /** True when the ids between the position and {@code next} will never commit. */
  private boolean gapSettled(long next, long xmin, long xmax) {
    if (gapEnd > position && next <= gapEnd) {
      return xmin >= gapXmax;
    }
    gapEnd = next;
    gapXmax = xmax;
    return false;
  }

  /**
   * Changes after {@code after} up to {@code upTo} of one kind, for a watch catching up: in id
   * order, filtered by namespace (null: any) and parent (null: any).
   */
  List<Change> read(
      long after, long upTo, Change.Kind kind, String namespace, UUID parent, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM watch_events WHERE id > ? AND id <= ? AND kind = ?"
            + (namespace == null ? "" : " AND namespace = ?")
            + (parent == null ? "" : " AND parent_id = ?")
            + " ORDER BY id LIMIT ?";
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      int i = 1;
      q.setLong(i++, after);
      q.setLong(i++, upTo);
      q.setString(i++, kind.column());
      if (namespace != null) {
        q.setString(i++, namespace);
      }
      if (parent != null) {
        q.setObject(i++, parent);
      }
      q.setInt(i, limit);
      List<Change> changes = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          changes.add(change(rs, 1));
        }
      }
      return changes;
    }
  }

  /** Everything at or below this id is pruned. */
  long horizon() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement("SELECT pruned_through FROM watch_horizon");
        ResultSet rs = q.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Deletes the changes older than {@code retention} that this feed has settled, and moves the
   * horizon past them, in one transaction. Returns how many rows went.
   */
  int prune(Duration retention) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement bound =
              c.prepareStatement(
                  "SELECT max(id) FROM watch_events WHERE id <= ? AND at < now() - make_interval(secs => ?)");
          PreparedStatement delete = c.prepareStatement("DELETE FROM watch_events WHERE id <= ?");
          PreparedStatement horizon =
              c.prepareStatement(
                  "UPDATE watch_horizon SET pruned_through = greatest(pruned_through, ?)")) {
        bound.setLong(1, position);
        bound.setDouble(2, retention.toMillis() / 1000.0);
        long through;
        try (ResultSet rs = bound.executeQuery()) {
          rs.next();
          through = rs.getLong(1);
        }
        if (through == 0) {
          c.rollback();
          return 0;
        }
        delete.setLong(1, through);
        int deleted = delete.executeUpdate();
        horizon.setLong(1, through);
        horizon.executeUpdate();
        c.commit();
        return deleted;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static Change change(ResultSet rs, int from) throws SQLException {
    return new Change(
        rs.getLong(from),
        Change.Kind.of(rs.getString(from + 1)),
        rs.getString(from + 2),
        rs.getString(from + 3),
        rs.getObject(from + 4, Integer.class),
        rs.getObject(from + 5, UUID.class),
        rs.getObject(from + 6, UUID.class),
        rs.getString(from + 7));
  }
}
