package io.sluice.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A console request's session cookie, to be turned into the identity of the token behind it. */
public class SessionAuthenticationRequest extends BaseAuthenticationRequest {
  private final String cookie;

  public SessionAuthenticationRequest(String cookie) {
    this.cookie = cookie;
  }

  public String cookie() {
    return cookie;
  }
}
