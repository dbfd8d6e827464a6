package io.sluice.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** Builds security identities that carry a {@link Grant}, whatever authenticated them. */
final class Identities {
  static final String GRANT = "sluice.grant";

  private Identities() {}

  static SecurityIdentity of(Grant grant) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(grant.principal()))
        .addRoles(grant.role().grantedRoles())
        .addAttribute(GRANT, grant)
        .build();
  }

  static Grant grantOf(SecurityIdentity identity) {
    return identity == null ? null : identity.getAttribute(GRANT);
  }
}
