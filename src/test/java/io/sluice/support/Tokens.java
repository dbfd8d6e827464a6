package io.sluice.support;

/**
 * Credentials the tests use. The admin token's SHA-256 is configured in the test profile
 * (application.properties); other principals are made per test through the token API or as JWTs.
 */
public final class Tokens {
  private Tokens() {}

  /** All namespaces, role admin. */
  public static final String ADMIN = "sluice_test-admin-0000000000000000000000000000000";
}
