package io.sluice.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A live console session is the identity of the API token that signed in, with that token's grant
 * as it is now, plus the session's CSRF token. An unknown or ended session is no identity at all
 * (the console sends the person to sign in; the API answers 401).
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionAuthenticationRequest> {
  static final String CSRF = "sluice.csrf";

  private final ConsoleSessions sessions;

  public SessionIdentityProvider(ConsoleSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public Class<SessionAuthenticationRequest> getRequestType() {
    return SessionAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      SessionAuthenticationRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () ->
            sessions
                .find(request.cookie())
                .map(
                    session ->
                        (SecurityIdentity)
                            QuarkusSecurityIdentity.builder(Identities.of(session.grant()))
                                .addAttribute(CSRF, session.csrf())
                                .build())
                .orElse(null));
  }

  /** The CSRF token of the session that authenticated {@code identity}; null for a bearer token. */
  public static String csrfOf(SecurityIdentity identity) {
    return identity == null ? null : identity.getAttribute(CSRF);
  }
}
