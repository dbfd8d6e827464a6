package io.sluice.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Credentials the tests use. The admin token's SHA-256 is configured in the test profile
 * (application.properties); other principals are issued per test through the token API, or are JWTs
 * signed with the test key pair whose public half the test profile trusts.
 */
public final class Tokens {
  private Tokens() {}

  /** All namespaces, role admin. */
  public static final String ADMIN = "sluice_test-admin-0000000000000000000000000000000";

  public static final String ISSUER = "https://issuer.sluice.test";

  /** An issued token: its secret and its id (to revoke it). */
  public record Issued(String token, String id) {}

  /** Issues an API token through the admin API and returns its secret. */
  public static String issue(String role, String... namespaces) {
    return issued(role, namespaces).token();
  }

  /** Issues an API token through the admin API; its secret and id. */
  public static Issued issued(String role, String... namespaces) {
    var created =
        Api.authorized()
            .contentType("application/json")
            .body(
                Map.of(
                    "name",
                    "t" + Long.toHexString(System.nanoTime()),
                    "role",
                    role,
                    "namespaces",
                    List.of(namespaces)))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract();
    return new Issued(created.path("token"), created.path("id"));
  }

  /** A JWT from the trusted issuer. */
  public static String jwt(String user, Set<String> groups, List<String> namespaces) {
    return Jwt.issuer(ISSUER)
        .upn(user)
        .groups(groups)
        .claim("namespaces", namespaces)
        .expiresAt(Instant.now().plusSeconds(300))
        .sign(key("security/jwt-private.pem"));
  }

  public static PrivateKey key(String resource) {
    try {
      return KeyUtils.readPrivateKey(resource);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
