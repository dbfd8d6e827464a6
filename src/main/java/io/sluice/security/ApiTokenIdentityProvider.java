package io.sluice.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Authenticates bearer tokens that are Sluice API tokens ({@code sluice_...}). Any other bearer
 * token is left to the JWT validator, which runs after this provider.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
  private final ApiTokens tokens;

  public ApiTokenIdentityProvider(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  /** Before the JWT validator (which is at the default, 1001): it would reject these tokens. */
  @Override
  public int priority() {
    return 2000;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    String bearer = request.getToken().getToken();
    if (!ApiTokens.looksLikeToken(bearer)) {
      return Uni.createFrom().nullItem();
    }
    return context.runBlocking(
        () ->
            tokens
                .verify(bearer)
                .map(Identities::of)
                .orElseThrow(
                    () -> new AuthenticationFailedException("unknown, expired or revoked token")));
  }
}
