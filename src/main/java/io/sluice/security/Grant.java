package io.sluice.security;

import java.util.Set;
import java.util.TreeSet;

/**
 * What an authenticated principal may do: a role, and the namespaces it may do it in ({@code *} for
 * all). Outside its namespaces a caller sees nothing: those paths answer 404.
 */
public record Grant(String principal, Role role, Set<String> namespaces) {
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
    if (!role.includes(otherRole)) {
      return false;
    }
    return allNamespaces()
        || (!otherNamespaces.contains(ALL_NAMESPACES) && namespaces.containsAll(otherNamespaces));
  }

  public Set<String> sortedNamespaces() {
    return new TreeSet<>(namespaces);
  }
}
