package io.sluice.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Authenticates with the console's session cookie where a browser needs it: every console page and
 * form ({@code /ui}, whose forms carry a CSRF token), and reads of the API ({@code GET}: the
 * console's live updates and log viewer). A cookie never authenticates an API write, and a request
 * with an Authorization header is left to the bearer mechanisms. No challenge of its own: the
 * console sends people to its sign-in page, the API answers 401 as for a missing token.
 */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {
  public static final String CONSOLE_ROOT = "/ui";

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    if (context.request().headers().contains(HttpHeaders.AUTHORIZATION)) {
      return Uni.createFrom().nullItem();
    }
    Cookie cookie = context.request().getCookie(ConsoleSessions.COOKIE);
    if (cookie == null || !acceptsCookie(context)) {
      return Uni.createFrom().nullItem();
    }
    return identityProviderManager.authenticate(
        HttpSecurityUtils.setRoutingContextAttribute(
            new SessionAuthenticationRequest(cookie.getValue()), context));
  }

  /** A path of the web console. */
  public static boolean isConsole(String path) {
    return path.equals(CONSOLE_ROOT) || path.startsWith(CONSOLE_ROOT + "/");
  }

  private static boolean acceptsCookie(RoutingContext context) {
    String path = context.normalizedPath();
    if (isConsole(path)) {
      return true;
    }
    HttpMethod method = context.request().method();
    return path.startsWith("/api/") && (method == HttpMethod.GET || method == HttpMethod.HEAD);
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().nullItem();
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(SessionAuthenticationRequest.class);
  }

  @Override
  public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
    return Uni.createFrom()
        .item(
            new HttpCredentialTransport(
                HttpCredentialTransport.Type.COOKIE, ConsoleSessions.COOKIE));
  }
}
