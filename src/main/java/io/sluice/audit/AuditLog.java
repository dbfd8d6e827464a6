package io.sluice.audit;

import io.sluice.api.Cursor;
import io.sluice.api.Page;
import io.sluice.api.PageRequest;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Writes and reads the append-only audit trail. {@link #record} joins the caller's transaction, so
 * an event exists exactly when the change it describes was committed.
 */
@ApplicationScoped
public class AuditLog {
  static final String CURSOR_KIND = "event";

  private final EntityManager em;
  private final Caller actor;

  public AuditLog(EntityManager em, Caller actor) {
    this.em = em;
    this.actor = actor;
  }

  /** The subject of an event: a job, by id, namespace and name. */
  public record Subject(UUID jobId, String namespace, String name) {}

  @Transactional(Transactional.TxType.MANDATORY)
  public void record(Subject job, String action, Integer revision, String message) {
    record(job, action, "success", revision, message, actor.name());
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void record(
      Subject job, String action, String outcome, Integer revision, String message, String who) {
    AuditEventEntity event = new AuditEventEntity();
    event.jobId = job.jobId();
    event.namespace = job.namespace();
    event.jobName = job.name();
    event.at = Instant.now();
    event.actor = who;
    event.action = action;
    event.outcome = outcome;
    event.revision = revision;
    event.message = message;
    em.persist(event);
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public EventList list(UUID jobId, PageRequest page) {
    long before = page.hasCursor() ? Cursor.decodeLong(page.cursor(), CURSOR_KIND) : Long.MAX_VALUE;
    List<AuditEventEntity> rows =
        em.createQuery(
                "from AuditEventEntity where jobId = :job and id < :before order by id desc",
                AuditEventEntity.class)
            .setParameter("job", jobId)
            .setParameter("before", before)
            .setMaxResults(page.limit() + 1)
            .getResultList();
    Page<EventResponse> result =
        Page.of(rows, page.limit(), last -> Cursor.encode(CURSOR_KIND, Long.toString(last.id)))
            .map(AuditLog::toResponse);
    return new EventList(result.items(), result.nextCursor());
  }

  private static EventResponse toResponse(AuditEventEntity e) {
    return new EventResponse(
        e.id, e.at.atOffset(ZoneOffset.UTC), e.actor, e.action, e.outcome, e.revision, e.message);
  }
}
