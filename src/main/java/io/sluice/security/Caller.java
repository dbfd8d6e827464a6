package io.sluice.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated caller of the current request: who it is (for audit records and idempotency
 * scopes) and which namespaces it may see. Services ask this instead of reading the identity.
 */
@ApplicationScoped
public class Caller {
  private final Instance<SecurityIdentity> identity;

  public Caller(Instance<SecurityIdentity> identity) {
    this.identity = identity;
  }

  public Grant grant() {
    Grant grant = Identities.grantOf(identity.get());
    if (grant == null) {
      throw new UnauthorizedException();
    }
    return grant;
  }

  /** The caller's immutable identity, for audit records, idempotency scopes and ownership. */
  public String name() {
    return grant().principal();
  }

  /** How the caller is shown to people; not unique over time, never used to identify. */
  public String displayName() {
    return grant().displayName();
  }

  /** Namespaces the caller may see; empty when it may see all. */
  public Optional<Set<String>> visibleNamespaces() {
    Grant grant = grant();
    return grant.allNamespaces() ? Optional.empty() : Optional.of(grant.namespaces());
  }

  /**
   * Refuses a namespace the caller may not see with the 404 an absent namespace would get, so a
   * caller learns nothing about namespaces outside its grant.
   */
  public void requireVisible(String namespace) {
    if (!grant().sees(namespace)) {
      throw new SluiceException(Reason.NOT_FOUND, "Namespace '" + namespace + "' not found");
    }
  }
}
