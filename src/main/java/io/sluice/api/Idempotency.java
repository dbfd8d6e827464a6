package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.sluice.config.SluiceConfig;
import io.sluice.job.SpecCodec;
import io.sluice.job.Timestamps;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
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

  private final DataSource db;
  private final Caller actor;
  private final ObjectMapper json;
  private final SluiceConfig config;
  private final WritesAtCommit writes;

  public Idempotency(
      DataSource db, Caller actor, ObjectMapper json, SluiceConfig config, WritesAtCommit writes) {
    this.writes = writes;
    this.db = db;
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
    Stored stored = lockAndRead(scope, route, key);
    if (stored == IN_FLIGHT) {
      throw new SluiceException(
          Reason.IDEMPOTENCY_KEY_IN_FLIGHT,
          "A request with this Idempotency-Key is still being processed; retry shortly");
    }
    if (stored != null) {
      return replay(stored, fingerprint);
    }
    Response response = action.get();
    String body = store(scope, route, key, fingerprint, response);
    // The JSON just stored is the body: serialised once, and byte for byte what a replay returns.
    return Response.fromResponse(response).entity(body).type("application/json").build();
  }

  // On the transaction's connection: the key's lock and stored answer commit with the change.

  /**
   * Takes the key's lock, then reads its stored answer: two statements sent together, one round
   * trip to PostgreSQL. Not one statement: its snapshot would be taken before the lock, and could
   * miss an answer committed by the request that held the lock until then. The second statement
   * takes its own snapshot once the first has run (READ COMMITTED), so it sees every answer
   * committed before the lock was granted.
   */
  private static final String LOCK_AND_READ =
      "SELECT pg_try_advisory_xact_lock(hashtext(?), hashtext(?));"
          + " SELECT fingerprint, status, body, location, etag FROM idempotency_keys"
          + " WHERE scope = ? AND route = ? AND key = ? AND expires_at > now()";

  /** Stands for a key whose lock another request holds. */
  private static final Stored IN_FLIGHT = new Stored("", 0, "", null, null);

  /** The answer stored for the key, null for none, or {@link #IN_FLIGHT}. */
  private Stored lockAndRead(String scope, String route, String key) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(LOCK_AND_READ)) {
      ps.setString(1, scope + " " + route);
      ps.setString(2, key);
      ps.setString(3, scope);
      ps.setString(4, route);
      ps.setString(5, key);
      ps.execute();
      boolean locked;
      try (ResultSet rs = ps.getResultSet()) {
        locked = rs.next() && rs.getBoolean(1);
      }
      if (!ps.getMoreResults()) {
        throw new SQLException("the stored answer's query returned no result");
      }
      try (ResultSet rs = ps.getResultSet()) {
        if (!locked) {
          return IN_FLIGHT;
        }
        return rs.next()
            ? new Stored(
                rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5))
            : null;
      }
    } catch (SQLException e) {
      throw new StoreException("Could not lock or read the Idempotency-Key", e);
    }
  }

  /** The answer stored for a key. */
  private record Stored(
      String fingerprint, int status, String body, String location, String etag) {}

  private Response replay(Stored row, String fingerprint) {
    if (!fingerprint.equals(row.fingerprint())) {
      throw new SluiceException(
          Reason.IDEMPOTENCY_KEY_REUSED,
          "This Idempotency-Key was used for a different request; use a new key for a new request");
    }
    Response.ResponseBuilder replay =
        Response.status(row.status())
            .entity(row.body())
            .type("application/json")
            .header(REPLAYED, "true");
    if (row.location() != null) {
      replay.header("Location", row.location());
    }
    if (row.etag() != null) {
      replay.header("ETag", row.etag());
    }
    return replay.build();
  }

  private static final String STORE =
      "INSERT INTO idempotency_keys (scope, route, key, fingerprint, status, body, location, etag,"
          + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), ?)"
          + " ON CONFLICT (scope, route, key) DO UPDATE SET fingerprint = excluded.fingerprint,"
          + " status = excluded.status, body = excluded.body, location = excluded.location,"
          + " etag = excluded.etag, created_at = excluded.created_at,"
          + " expires_at = excluded.expires_at";

  /**
   * Stores the answer for replay as the transaction commits (nothing reads it before: the key's
   * lock is held until then); returns the JSON body it stores.
   */
  private String store(
      String scope, String route, String key, String fingerprint, Response response) {
    String body;
    try {
      body = json.writeValueAsString(response.getEntity());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response cannot be stored for replay", e);
    }
    EntityTag tag = response.getEntityTag();
    String location = response.getLocation() == null ? null : response.getLocation().toString();
    int status = response.getStatus();
    Object expires = Timestamps.column(Instant.now().plus(config.idempotency().retention()));
    writes.add(
        STORE,
        (ps, i) -> {
          ps.setString(i++, scope);
          ps.setString(i++, route);
          ps.setString(i++, key);
          ps.setString(i++, fingerprint);
          ps.setInt(i++, status);
          ps.setString(i++, body);
          ps.setString(i++, location);
          ps.setString(i++, tag == null ? null : tag.toString());
          ps.setObject(i++, expires);
          return i;
        },
        "the answer for the Idempotency-Key");
    return body;
  }

  /** Deletes expired keys, a bounded batch at a time. */
  @Scheduled(
      every = "10m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  @Transactional
  void purgeExpired() {
    int purged =
        delete(
            "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
                + " WHERE expires_at < now() LIMIT 10000)");
    if (purged > 0) {
      LOG.infof("Purged %d expired idempotency keys", purged);
    }
  }

  /** For tests and operators: purge now. */
  @Transactional
  public int purgeNow() {
    return delete("DELETE FROM idempotency_keys WHERE expires_at < now()");
  }

  private int delete(String sql) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not purge expired idempotency keys", e);
    }
  }
}
