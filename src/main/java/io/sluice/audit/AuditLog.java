package io.sluice.audit;

import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.api.WritesAtCommit;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes and reads the append-only audit trail. {@link #record} joins the caller's transaction, so
 * an event exists exactly when the change it describes was committed; nothing reads it back before
 * then, so it is sent with the transaction's other {@link WritesAtCommit} in one round trip.
 */
@ApplicationScoped
public class AuditLog {
  static final String CURSOR_KIND = "event";

  private final DataSource db;
  private final Caller actor;
  private final WritesAtCommit writes;

  public AuditLog(DataSource db, Caller actor, WritesAtCommit writes) {
    this.db = db;
    this.actor = actor;
    this.writes = writes;
  }

  /** The subject of an event: a job (or a pipeline, by kind), by id, namespace and name. */
  public record Subject(UUID jobId, String namespace, String name, String kind) {
    public Subject(UUID jobId, String namespace, String name) {
      this(jobId, namespace, name, JOB);
    }

    public static final String JOB = "job";
    public static final String PIPELINE = "pipeline";
  }

  /** Who acted: an immutable identity, and the name people know it by. */
  public record Actor(String id, String displayName) {
    /** Sluice itself (the reconciler, automatic rollbacks). */
    public static final Actor SLUICE = new Actor(Actions.SYSTEM_ACTOR, Actions.SYSTEM_ACTOR);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void record(Subject job, String action, Integer revision, String message) {
    record(job, action, "success", revision, message, new Actor(actor.name(), actor.displayName()));
  }

  /** Inserts as the transaction commits: the event commits with the change or not at all. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(
      Subject job, String action, String outcome, Integer revision, String message, Actor who) {
    writes.add(
        INSERT,
        (ps, first) -> bind(ps, first, job, who, action, outcome, revision, message),
        "the audit event " + action);
  }

  /** Appends an event on {@code c}, in whatever transaction it is in; stamped with its start. */
  public static void insert(
      Connection c,
      Subject job,
      Actor who,
      String action,
      String outcome,
      Integer revision,
      String message)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bind(ps, 1, job, who, action, outcome, revision, message);
      ps.executeUpdate();
    }
  }

  /** Binds {@link #INSERT}'s parameters from {@code i} on; returns the index after the last. */
  private static int bind(
      PreparedStatement ps,
      int i,
      Subject job,
      Actor who,
      String action,
      String outcome,
      Integer revision,
      String message)
      throws SQLException {
    ps.setObject(i++, job.jobId());
    ps.setString(i++, job.namespace());
    ps.setString(i++, job.name());
    ps.setString(i++, who.id());
    ps.setString(i++, who.displayName());
    ps.setString(i++, action);
    ps.setString(i++, outcome);
    ps.setObject(i++, revision, java.sql.Types.INTEGER);
    ps.setString(i++, message);
    ps.setString(i++, job.kind());
    return i;
  }

  private static final String INSERT =
      "INSERT INTO audit_events (job_id, namespace, job_name, at, actor, actor_name, action,"
          + " outcome, revision, message, subject) VALUES (?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?)";

  @Transactional(Transactional.TxType.SUPPORTS)
  public EventList list(UUID jobId, PageRequest page) {
    long before = page.hasCursor() ? Cursor.decodeLong(page.cursor(), CURSOR_KIND) : Long.MAX_VALUE;
    List<EventResponse> rows =
        io.sluice.api.Sql.query(
            db,
            "Could not read the job's events",
            "SELECT id, at, actor, coalesce(actor_name, actor), action, outcome, revision, message"
                + " FROM audit_events WHERE job_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
            List.of(jobId, before, page.limit() + 1),
            rs ->
                new EventResponse(
                    rs.getLong(1),
                    io.sluice.job.Timestamps.read(rs, 2).atOffset(ZoneOffset.UTC),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getObject(7, Integer.class),
                    rs.getString(8)));
    Page<EventResponse> result =
        Page.of(rows, page.limit(), last -> Cursor.encode(CURSOR_KIND, Long.toString(last.id())));
    return new EventList(result.items(), result.nextCursor());
  }
}
