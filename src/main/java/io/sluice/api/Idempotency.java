package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.sluice.config.SluiceConfig;
import io.sluice.job.SpecCodec;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * {@code Idempotency-Key} (IETF httpapi draft) for the POSTs that create something. The key's
 * record is written in the same transaction as what the request creates, so a retried request
 * either replays the stored answer (same status, body, ids) or, if the first never committed, runs
 * afresh. A concurrent request with the same key gets 409; the same key with a different body gets
 * 422. Keys are scoped to the caller and the route.
 */
@ApplicationScoped
public class Idempotency {
  private static final Logger LOG = Logger.getLogger(Idempotency.class);
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:\\-]{1,255}");

  private final EntityManager em;
  private final Caller actor;
  private final ObjectMapper json;
  private final SluiceConfig config;

  public Idempotency(EntityManager em, Caller actor, ObjectMapper json, SluiceConfig config) {
    this.em = em;
    this.actor = actor;
    this.json = json;
    this.config = config;
  }

  /** Validates a key before anything is looked up; absent keys are allowed. */
  public static void checkKey(String key) {
    if (key != null && !KEY.matcher(key).matches()) {
      throw new SluiceException(
          Reason.INVALID_IDEMPOTENCY_KEY,
          "Idempotency-Key must be 1 to 255 characters of letters, digits, '.', '_', ':' or '-'",
          List.of(new FieldError(HEADER, "invalid format or length")));
    }
  }

  /**
   * Runs {@code action} once per (caller, route, key); without a key, just runs it. The action must
   * join this transaction (services are {@code REQUIRED}).
   */
  @Transactional
  public Response execute(String key, String route, Object request, Supplier<Response> action) {
    checkKey(key);
    if (key == null) {
      return action.get();
    }
    String scope = actor.name();
    String fingerprint = SpecCodec.sha256(request == null ? "" : SpecCodec.toJson(request));
    Boolean locked =
        (Boolean)
            em.createNativeQuery("SELECT pg_try_advisory_xact_lock(hashtext(:a), hashtext(:b))")
                .setParameter("a", scope + " " + route)
                .setParameter("b", key)
                .getSingleResult();
    if (!Boolean.TRUE.equals(locked)) {
      throw new SluiceException(
          Reason.IDEMPOTENCY_KEY_IN_FLIGHT,
          "A request with this Idempotency-Key is still being processed; retry shortly");
    }
    List<?> stored =
        em.createNativeQuery(
                "SELECT fingerprint, status, body, location, etag FROM idempotency_keys"
                    + " WHERE scope = :s AND route = :r AND key = :k AND expires_at > now()")
            .setParameter("s", scope)
            .setParameter("r", route)
            .setParameter("k", key)
            .getResultList();
    if (!stored.isEmpty()) {
      return replay((Object[]) stored.get(0), fingerprint);
    }
    Response response = action.get();
    store(scope, route, key, fingerprint, response);
    return response;
  }

  private Response replay(Object[] row, String fingerprint) {
    if (!fingerprint.equals(row[0])) {
      throw new SluiceException(
          Reason.IDEMPOTENCY_KEY_REUSED,
          "This Idempotency-Key was used for a different request; use a new key for a new request");
    }
    Response.ResponseBuilder replay =
        Response.status((Integer) row[1])
            .entity(row[2])
            .type("application/json")
            .header(REPLAYED, "true");
    if (row[3] != null) {
      replay.header("Location", row[3]);
    }
    if (row[4] != null) {
      replay.header("ETag", row[4]);
    }
    return replay.build();
  }

  private void store(
      String scope, String route, String key, String fingerprint, Response response) {
    String body;
    try {
      body = json.writeValueAsString(response.getEntity());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response cannot be stored for replay", e);
    }
    EntityTag tag = response.getEntityTag();
    em.createNativeQuery(
            "INSERT INTO idempotency_keys (scope, route, key, fingerprint, status, body, location, etag,"
                + " created_at, expires_at) VALUES (:s, :r, :k, :f, :st, :b, :l, :e, now(), :x)"
                + " ON CONFLICT (scope, route, key) DO UPDATE SET fingerprint = excluded.fingerprint,"
                + " status = excluded.status, body = excluded.body, location = excluded.location,"
                + " etag = excluded.etag, created_at = excluded.created_at, expires_at = excluded.expires_at")
        .setParameter("s", scope)
        .setParameter("r", route)
        .setParameter("k", key)
        .setParameter("f", fingerprint)
        .setParameter("st", response.getStatus())
        .setParameter("b", body)
        .setParameter(
            "l", response.getLocation() == null ? null : response.getLocation().toString())
        .setParameter("e", tag == null ? null : tag.toString())
        .setParameter("x", Instant.now().plus(config.idempotency().retention()))
        .executeUpdate();
  }

  /** Deletes expired keys, a bounded batch at a time. */
  @Scheduled(
      every = "10m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  @Transactional
  void purgeExpired() {
    int purged =
        em.createNativeQuery(
                "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
                    + " WHERE expires_at < now() LIMIT 10000)")
            .executeUpdate();
    if (purged > 0) {
      LOG.infof("Purged %d expired idempotency keys", purged);
    }
  }

  /** For tests and operators: purge now. */
  @Transactional
  public int purgeNow() {
    return em.createNativeQuery("DELETE FROM idempotency_keys WHERE expires_at < now()")
        .executeUpdate();
  }
}
