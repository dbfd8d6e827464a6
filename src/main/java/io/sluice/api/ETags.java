package io.sluice.api;

import jakarta.ws.rs.core.EntityTag;

/**
 * Strong ETags from row versions, and the {@code If-Match} check that turns a stale write into 412
 * instead of a lost update.
 */
public final class ETags {
  private ETags() {}

  public static EntityTag of(long version) {
    return new EntityTag(Long.toString(version));
  }

  /**
   * Throws 412 unless {@code ifMatch} is absent, {@code *}, or lists the current version as a
   * strong tag. Weak tags never match (RFC 9110 strong comparison).
   */
  public static void checkIfMatch(String ifMatch, long currentVersion) {
    if (ifMatch == null || ifMatch.isBlank() || matches(ifMatch, currentVersion)) {
      return;
    }
    throw new SluiceException(
        Reason.PRECONDITION_FAILED,
        "If-Match "
            + ifMatch.trim()
            + " does not match the current version \""
            + currentVersion
            + "\"; fetch the resource again and retry");
  }

  /** True when an {@code If-Match} header names the current version (strong comparison). */
  public static boolean matches(String header, long currentVersion) {
    return matches(header, currentVersion, false);
  }

  /** True when an {@code If-None-Match} header names the current version (weak comparison). */
  public static boolean matchesWeakly(String header, long currentVersion) {
    return matches(header, currentVersion, true);
  }

  private static boolean matches(String header, long currentVersion, boolean weak) {
    String current = "\"" + currentVersion + "\"";
    for (String tag : header.split(",")) {
      String t = tag.trim();
      if (weak && t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(current)) {
        return true;
      }
    }
    return false;
  }
}
