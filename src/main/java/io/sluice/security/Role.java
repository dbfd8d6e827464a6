package io.sluice.security;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do. Roles are ordered: an operator can do everything a viewer can, an admin
 * everything an operator can. Endpoints name the least role they need.
 */
public enum Role {
  /** Reads jobs, revisions, runs, logs, manifests, events and policy. */
  VIEWER,
  /** Also creates, updates, deletes, runs, scales, suspends, rolls back and cancels. */
  OPERATOR,
  /** Also manages API tokens. */
  ADMIN;

  public static final String VIEWER_ROLE = "viewer";
  public static final String OPERATOR_ROLE = "operator";
  public static final String ADMIN_ROLE = "admin";

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** This role's name and the names of every role it includes, as security roles. */
  public Set<String> grantedRoles() {
    return switch (this) {
      case VIEWER -> Set.of(VIEWER_ROLE);
      case OPERATOR -> Set.of(VIEWER_ROLE, OPERATOR_ROLE);
      case ADMIN -> Set.of(VIEWER_ROLE, OPERATOR_ROLE, ADMIN_ROLE);
    };
  }

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  public static Optional<Role> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Role role : values()) {
      if (role.value().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** The highest role among {@code names} (e.g. a JWT's groups); empty when none is a role. */
  public static Optional<Role> highest(Iterable<String> names) {
    Role best = null;
    for (String name : names) {
      Role role = parse(name).orElse(null);
      if (role != null && (best == null || role.includes(best))) {
        best = role;
      }
    }
    return Optional.ofNullable(best);
  }
}
