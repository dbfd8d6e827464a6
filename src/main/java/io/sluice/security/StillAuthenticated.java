package io.sluice.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * For streams that outlive their request (watches): a check, made again while the stream lasts,
 * that what authenticated the request still would — the API token is not revoked or expired, the
 * console session still lives, the JWT has not expired. Revoking a token thus ends its watches.
 */
@ApplicationScoped
public class StillAuthenticated {
  private final CurrentVertxRequest request;
  private final Instance<SecurityIdentity> identity;
  private final ApiTokens tokens;
  private final ConsoleSessions sessions;

  public StillAuthenticated(
      CurrentVertxRequest request,
      Instance<SecurityIdentity> identity,
      ApiTokens tokens,
      ConsoleSessions sessions) {
    this.request = request;
    this.identity = identity;
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** The check for the current request's credential; blocking when called. */
  public BooleanSupplier ofCurrentRequest() {
    var context = request.getCurrent();
    String authorization =
        context == null ? null : context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String bearer = authorization.substring(7).trim();
      if (ApiTokens.looksLikeToken(bearer)) {
        String hash = ApiTokens.sha256(bearer);
        return () -> tokens.verifyHash(hash).isPresent();
      }
      if (identity.get().getPrincipal() instanceof JsonWebToken jwt
          && jwt.getExpirationTime() > 0) {
        Instant expires = Instant.ofEpochSecond(jwt.getExpirationTime());
        return () -> Instant.now().isBefore(expires);
      }
      return () -> true;
    }
    Cookie cookie = context == null ? null : context.request().getCookie(ConsoleSessions.COOKIE);
    if (cookie != null) {
      String value = cookie.getValue();
      return () -> sessions.find(value).isPresent();
    }
    return () -> true;
  }
}
