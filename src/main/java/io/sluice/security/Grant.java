package io.sluice.security;

import java.util.Set;
import java.util.TreeSet;

/**
 * What an authenticated principal may do: a role, and the namespaces it may do it in ({@code *} for
 * all). Outside its namespaces a caller sees nothing: those paths answer 404.
 *
 * @param principal the caller's immutable identity ({@code token:<id>}, {@code config:<name>},
 *     {@code jwt:<issuer>#<subject>}): what audit events, idempotency scopes and token ownership
 *     record. Never a name someone could take again.
 * @param displayName how the caller is shown to people ({@code token:<name>}, a JWT's name)
 */
public record Grant(String principal, String displayName, Role role, Set<String> namespaces) {
  public static final String ALL_NAMESPACES = "*";

  public Grant {
    namespaces = Set.copyOf(namespaces);
  }

  public boolean allNamespaces() {
    return namespaces.contains(ALL_NAMESPACES);
  }

  public boolean sees(String namespace) {
    return allNamespaces() || namespaces.contains(namespace);
  }

  /** True when everything {@code other} allows, this grant allows too. */
  public boolean covers(Role otherRole, Set<String> otherNamespaces) {
    return role.includes(otherRole) && coversNamespaces(otherNamespaces);
  }

  /** True when every namespace of {@code other} is inside this grant ({@code *} only inside *). */
  public boolean coversNamespaces(Set<String> otherNamespaces) {
    return allNamespaces()
        || (!otherNamespaces.contains(ALL_NAMESPACES) && namespaces.containsAll(otherNamespaces));
  }

  public Set<String> sortedNamespaces() {
    return new TreeSet<>(namespaces);
  }
}
