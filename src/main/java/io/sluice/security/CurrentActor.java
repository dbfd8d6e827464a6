package io.sluice.security;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is acting in the current request, for audit records. Until authentication lands every caller
 * is {@code anonymous}; the security feature replaces this with the authenticated principal.
 */
@ApplicationScoped
public class CurrentActor {
  public static final String ANONYMOUS = "anonymous";

  public String name() {
    return ANONYMOUS;
  }
}
