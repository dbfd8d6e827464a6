package io.sluice.security;

import io.quarkus.scheduler.Scheduled;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.config.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The web console's sign-ins. A session is 256 random bits in an HttpOnly, SameSite=Strict cookie;
 * the database keeps only their SHA-256, the SHA-256 of the API token that signed in (checked again
 * on every request, so revoking or expiring the token ends the session) and the session's CSRF
 * token. Sessions per token are bounded; expired ones are deleted in the background.
 */
@ApplicationScoped
public class ConsoleSessions {
  public static final String COOKIE = "sluice_session";

  private final DataSource db;
  private final ApiTokens tokens;
  private final SluiceConfig.Console config;

  public ConsoleSessions(DataSource db, ApiTokens tokens, SluiceConfig config) {
    this.db = db;
    this.tokens = tokens;
    this.config = config.console();
  }

  /** A new session: the cookie's value (shown once), its CSRF token and when it ends. */
  public record Opened(String cookie, String csrf, Instant expiresAt) {}

  /** A live session: the grant its token holds now, and its CSRF token. */
  public record Session(Grant grant, String csrf) {}

  /** Signs in with an API token; a token that does not verify is refused like any other. */
  public Opened open(String token) {
    String trimmed = token == null ? "" : token.trim();
    if (!ApiTokens.looksLikeToken(trimmed) || tokens.verify(trimmed).isEmpty()) {
      throw new SluiceException(
          Reason.UNAUTHENTICATED,
          "That token is unknown, expired or revoked; ask an admin for an API token (sluice_...)");
    }
    String cookie = ApiTokens.random();
    String csrf = ApiTokens.random();
    Instant expires = Instant.now().plus(config.sessionTtl());
    String tokenHash = ApiTokens.sha256(trimmed);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO console_sessions (id_sha256, token_sha256, csrf, expires_at)"
                      + " VALUES (?, ?, ?, ?)");
          PreparedStatement trim =
              c.prepareStatement(
                  "DELETE FROM console_sessions WHERE token_sha256 = ? AND id_sha256 NOT IN"
                      + " (SELECT id_sha256 FROM console_sessions WHERE token_sha256 = ?"
                      + " ORDER BY created_at DESC, id_sha256 LIMIT ?)")) {
        insert.setString(1, ApiTokens.sha256(cookie));
        insert.setString(2, tokenHash);
        insert.setString(3, csrf);
        insert.setObject(4, java.time.OffsetDateTime.ofInstant(expires, java.time.ZoneOffset.UTC));
        insert.executeUpdate();
        trim.setString(1, tokenHash);
        trim.setString(2, tokenHash);
        trim.setInt(3, config.maxSessionsPerToken());
        trim.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not store the console session", e);
    }
    return new Opened(cookie, csrf, expires);
  }

  /** The live session behind a cookie, if its token still verifies. Blocking. */
  public Optional<Session> find(String cookie) {
    if (cookie == null || cookie.length() > 128) {
      return Optional.empty();
    }
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT token_sha256, csrf FROM console_sessions WHERE id_sha256 = ?"
                    + " AND expires_at > now()")) {
      q.setString(1, ApiTokens.sha256(cookie));
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String csrf = rs.getString(2);
        return tokens.verifyHash(rs.getString(1).trim()).map(grant -> new Session(grant, csrf));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the console session", e);
    }
  }

  /** Signs out: the cookie stops working at once, on every replica. */
  public void close(String cookie) {
    if (cookie == null || cookie.length() > 128) {
      return;
    }
    try (Connection c = db.getConnection();
        PreparedStatement delete =
            c.prepareStatement("DELETE FROM console_sessions WHERE id_sha256 = ?")) {
      delete.setString(1, ApiTokens.sha256(cookie));
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not end the console session", e);
    }
  }

  @Scheduled(
      every = "10m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void pruneExpired() {
    try (Connection c = db.getConnection();
        PreparedStatement delete =
            c.prepareStatement("DELETE FROM console_sessions WHERE expires_at < now()")) {
      delete.executeUpdate();
    } catch (SQLException e) {
      // Next time: expired sessions are refused by find() anyway.
    }
  }
}
