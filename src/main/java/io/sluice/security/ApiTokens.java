package io.sluice.security;

import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.config.SluiceConfig;
import io.sluice.job.Ids;
import io.sluice.job.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Sluice's own bearer tokens for machine callers. A token is {@code sluice_} plus 256 random bits;
 * only its SHA-256 is kept (in the database, or in configuration for bootstrap tokens), so a leaked
 * database or config map yields no usable token. Verified tokens are cached briefly: a revocation
 * takes effect at once on the replica that made it and within the cache TTL on the others.
 */
@ApplicationScoped
public class ApiTokens {
  public static final String PREFIX = "sluice_";
  private static final Logger LOG = Logger.getLogger(ApiTokens.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_TOKEN_LENGTH = 256;
  private static final int MAX_CACHED = 10_000;

  private final DataSource db;
  private final SluiceConfig.Security config;
  private final Map<String, Grant> configured;
  private final Set<String> configuredNames;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();

  public ApiTokens(DataSource db, SluiceConfig config) {
    this.db = db;
    this.config = config.security();
    this.configured = configuredTokens(this.config);
    this.configuredNames = Set.copyOf(this.config.tokens().keySet());
  }

  /** An issued token: the secret (shown once) and what it grants. */
  public record Issued(String token, TokenResponse description) {}

  /** A looked-up token: its grant (if live) until {@code until}, and never past its expiry. */
  private record Cached(Optional<Grant> grant, Instant until, Instant expiresAt) {
    boolean usableAt(Instant now) {
      return until.isAfter(now) && (expiresAt == null || expiresAt.isAfter(now));
    }
  }

  private record Found(Grant grant, Instant expiresAt) {}

  public static boolean looksLikeToken(String bearer) {
    return bearer != null && bearer.startsWith(PREFIX);
  }

  /** The grant of a live token, or empty for an unknown, revoked or expired one. Blocking. */
  public Optional<Grant> verify(String token) {
    if (token == null || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    return verifyHash(sha256(token));
  }

  /**
   * The grant of the live token whose SHA-256 is {@code hash} (what a console session holds), or
   * empty for an unknown, revoked or expired one. Blocking.
   */
  public Optional<Grant> verifyHash(String hash) {
    Grant fixed = configured.get(hash);
    if (fixed != null) {
      return Optional.of(fixed);
    }
    Instant now = clock.instant();
    Cached cached = cache.get(hash);
    if (cached != null) {
      if (cached.usableAt(now)) {
        return cached.grant();
      }
      if (cached.expiresAt() != null && !cached.expiresAt().isAfter(now)) {
        // Expired: refused from the first request past expiresAt, not after the cache's TTL.
        return Optional.empty();
      }
    }
    Optional<Found> found = lookup(hash);
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(
        hash,
        new Cached(
            found.map(Found::grant),
            now.plus(config.tokenCacheTtl()),
            found.map(Found::expiresAt).orElse(null)));
    return found.map(Found::grant);
  }

  /** Creates a token; {@code issuer} may only grant what it holds itself. */
  public Issued issue(Grant issuer, CreateTokenRequest request) {
    TokenRequests.validate(request);
    Role role = Role.parse(request.role()).orElseThrow();
    Set<String> namespaces = new LinkedHashSet<>(request.namespaces());
    if (!issuer.covers(role, namespaces)) {
      throw new SluiceException(
          Reason.FORBIDDEN,
          "A token cannot grant more than its creator holds (role or namespaces)");
    }
    if (configuredNames.contains(request.name())) {
      throw nameTaken(request.name());
    }
    String token = PREFIX + random();
    UUID id = Ids.next();
    Instant now = Timestamps.now();
    // A name is never given twice, not even after revocation: people read audit trails by it.
    try (Connection c = db.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO api_tokens (id, name, sha256, role, namespaces, created_at, created_by,"
                    + " expires_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM api_tokens WHERE name = ?)")) {
      insert.setObject(1, id);
      insert.setString(2, request.name());
      insert.setString(3, sha256(token));
      insert.setString(4, role.value());
      insert.setString(5, String.join(",", namespaces));
      insert.setObject(6, Timestamps.column(now));
      insert.setString(7, issuer.principal());
      insert.setObject(
          8,
          request.expiresAt() == null ? null : Timestamps.column(request.expiresAt().toInstant()),
          java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
      insert.setString(9, request.name());
      if (insert.executeUpdate() == 0) {
        throw nameTaken(request.name());
      }
    } catch (SQLException e) {
      if (io.sluice.api.SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw nameTaken(request.name());
      }
      throw new IllegalStateException("could not store the token", e);
    }
    LOG.infof(
        "token=%s role=%s namespaces=%s created by %s (%s)",
        request.name(), role.value(), namespaces, issuer.displayName(), issuer.principal());
    return new Issued(
        token,
        new TokenResponse(
            id,
            request.name(),
            role.value(),
            List.copyOf(namespaces),
            now,
            issuer.principal(),
            request.expiresAt() == null ? null : request.expiresAt().toInstant()));
  }

  private static SluiceException nameTaken(String name) {
    return new SluiceException(
        Reason.CONFLICT,
        "A token named '"
            + name
            + "' exists or existed (names are never reused, so audit trails stay unambiguous);"
            + " choose another name");
  }

  /**
   * Live (not revoked) tokens that {@code caller} may see: those whose namespaces all lie inside
   * its grant. Expired ones are listed until revoked.
   */
  public List<TokenResponse> list(Grant caller) {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT id, name, role, namespaces, created_at, created_by, expires_at FROM api_tokens"
                    + " WHERE revoked_at IS NULL ORDER BY name")) {
      List<TokenResponse> tokens = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          List<String> namespaces = namespaces(rs.getString(4));
          if (!caller.coversNamespaces(Set.copyOf(namespaces))) {
            continue;
          }
          Timestamp expires = rs.getTimestamp(7);
          tokens.add(
              new TokenResponse(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getString(3),
                  namespaces,
                  rs.getTimestamp(5).toInstant(),
                  rs.getString(6),
                  expires == null ? null : expires.toInstant()));
        }
      }
      return tokens;
    } catch (SQLException e) {
      throw new IllegalStateException("could not list tokens", e);
    }
  }

  /**
   * Revokes a live token; everything it authenticated stops working (at once on this replica,
   * within the cache TTL on others). A token whose namespaces are not all inside {@code by}'s grant
   * is as absent to it as a token that does not exist.
   */
  public void revoke(Grant by, UUID id) {
    // One statement: the grant check is part of the WHERE, so a token outside it is not found.
    String sql =
        "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL"
            + (by.allNamespaces() ? "" : " AND string_to_array(namespaces, ',') <@ ?::text[]")
            + " RETURNING sha256, name";
    try (Connection c = db.getConnection();
        PreparedStatement update = c.prepareStatement(sql)) {
      update.setObject(1, Timestamps.column(Timestamps.now()));
      update.setString(2, by.principal());
      update.setObject(3, id);
      if (!by.allNamespaces()) {
        update.setArray(4, c.createArrayOf("text", by.namespaces().toArray()));
      }
      try (ResultSet rs = update.executeQuery()) {
        if (!rs.next()) {
          throw new SluiceException(Reason.NOT_FOUND, "No live token with id " + id);
        }
        cache.remove(rs.getString(1));
        LOG.infof("token=%s revoked by %s (%s)", rs.getString(2), by.displayName(), by.principal());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not revoke the token", e);
    }
  }

  /**
   * Makes {@code token} a live token named {@code name} with {@code role} on every namespace,
   * replacing an earlier token of that name (the sandbox's own token across restarts).
   */
  public void ensure(String name, String token, Role role) {
    String hash = sha256(token);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement revoke =
              c.prepareStatement(
                  "UPDATE api_tokens SET revoked_at = now(), revoked_by = 'sluice'"
                      + " WHERE name = ? AND revoked_at IS NULL AND sha256 <> ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO api_tokens (id, name, sha256, role, namespaces, created_at, created_by)"
                      + " VALUES (?, ?, ?, ?, '*', now(), 'sluice') ON CONFLICT (sha256) DO UPDATE"
                      + " SET revoked_at = NULL, revoked_by = NULL, role = EXCLUDED.role, namespaces = '*'")) {
        revoke.setString(1, name);
        revoke.setString(2, hash);
        revoke.executeUpdate();
        insert.setObject(1, Ids.next());
        insert.setString(2, name);
        insert.setString(3, hash);
        insert.setString(4, role.value());
        insert.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("could not store the token " + name, e);
    }
  }

  private Optional<Found> lookup(String hash) {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT id, name, role, namespaces, expires_at FROM api_tokens WHERE sha256 = ?"
                    + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())")) {
      q.setString(1, hash);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Timestamp expires = rs.getTimestamp(5);
        return Optional.of(
            new Found(
                new Grant(
                    principal(rs.getObject(1, UUID.class)),
                    displayName(rs.getString(2)),
                    Role.parse(rs.getString(3)).orElseThrow(),
                    Set.copyOf(namespaces(rs.getString(4)))),
                expires == null ? null : expires.toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not look up a token", e);
    }
  }

  /** A stored token's identity: its id, which no later token can take. */
  static String principal(UUID tokenId) {
    return "token:" + tokenId;
  }

  /** A configured token's identity: its configuration key, which stored tokens may not take. */
  static String configuredPrincipal(String name) {
    return "config:" + name;
  }

  static String displayName(String tokenName) {
    return "token:" + tokenName;
  }

  private static List<String> namespaces(String column) {
    return Arrays.stream(column.split(",")).filter(s -> !s.isEmpty()).sorted().toList();
  }

  private static Map<String, Grant> configuredTokens(SluiceConfig.Security config) {
    return config.tokens().entrySet().stream()
        .collect(
            Collectors.toUnmodifiableMap(
                e -> e.getValue().sha256().trim().toLowerCase(java.util.Locale.ROOT),
                e ->
                    new Grant(
                        configuredPrincipal(e.getKey()),
                        displayName(e.getKey()),
                        Role.parse(e.getValue().role())
                            .orElseThrow(
                                () ->
                                    new IllegalStateException(
                                        "sluice.security.tokens."
                                            + e.getKey()
                                            + ".role must be viewer, operator or admin")),
                        Set.copyOf(e.getValue().namespaces()))));
  }

  public static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String sha256(String token) {
    return io.sluice.api.Sha256.hex(token);
  }
}
