package io.sluice.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.sluice.config.SluiceConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified JWT into a {@link Grant}: the highest Sluice role among its {@code groups}, and
 * the namespaces of its namespaces claim. A JWT without a Sluice role is authenticated but may do
 * nothing (403); one without namespaces sees none (404).
 */
@ApplicationScoped
public class JwtGrants implements SecurityIdentityAugmentor {
  private final String namespacesClaim;

  public JwtGrants(SluiceConfig config) {
    this.namespacesClaim = config.security().namespacesClaim();
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous()
        || Identities.grantOf(identity) != null
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    return Uni.createFrom()
        .item(
            Role.highest(identity.getRoles())
                .map(
                    role -> {
                      Grant grant =
                          new Grant(
                              principal(jwt),
                              jwt.getName(),
                              role,
                              namespaces(jwt.getClaim(namespacesClaim)));
                      return (SecurityIdentity)
                          QuarkusSecurityIdentity.builder(identity)
                              .addRoles(role.grantedRoles())
                              .addAttribute(Identities.GRANT, grant)
                              .build();
                    })
                .orElse(identity));
  }

  /**
   * A JWT bearer's immutable identity: issuer and subject (the name claims, {@code upn} or {@code
   * preferred_username}, can be reassigned). Hashed when too long for the audit columns.
   */
  static String principal(JsonWebToken jwt) {
    String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
    String id = "jwt:" + jwt.getIssuer() + "#" + subject;
    return id.length() <= MAX_PRINCIPAL ? id : "jwt:sha256:" + ApiTokens.sha256(id);
  }

  private static final int MAX_PRINCIPAL = 255;

  static Set<String> namespaces(Object claim) {
    Set<String> out = new LinkedHashSet<>();
    if (claim instanceof JsonArray array) {
      array.forEach(v -> out.add(v instanceof JsonString s ? s.getString() : v.toString()));
    } else if (claim instanceof Collection<?> values) {
      values.forEach(v -> out.add(v instanceof JsonString s ? s.getString() : String.valueOf(v)));
    } else if (claim instanceof JsonString s) {
      addSplit(s.getString(), out);
    } else if (claim instanceof String s) {
      addSplit(s, out);
    }
    return out;
  }

  private static void addSplit(String value, Set<String> out) {
    for (String part : value.split("[,\\s]+")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
  }
}
