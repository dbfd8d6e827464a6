package io.sluice.console;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where the console's pages are, said once: templates and redirects build links from these. */
public final class ConsolePaths {
  public static final String ROOT = io.sluice.security.SessionAuthenticationMechanism.CONSOLE_ROOT;
  public static final String LOGIN = ROOT + "/login";
  public static final String NAMESPACES = ROOT + "/namespaces";

  private ConsolePaths() {}

  public static String namespace(String ns) {
    return NAMESPACES + "/" + ns;
  }

  public static String jobs(String ns) {
    return namespace(ns) + "/jobs";
  }

  public static String job(String ns, String name) {
    return jobs(ns) + "/" + name;
  }

  public static String pipelines(String ns) {
    return namespace(ns) + "/pipelines";
  }

  public static String pipeline(String ns, String name) {
    return pipelines(ns) + "/" + name;
  }

  /** A redirect to {@code path} with a notice the page shows (one of {@link Notices}). */
  public static URI after(String path, String notice) {
    return URI.create(path + "?done=" + URLEncoder.encode(notice, StandardCharsets.UTF_8));
  }

  /**
   * Only a console path may follow sign-in: never another site ({@code //evil}, {@code /\\evil}).
   */
  public static String safeNext(String next) {
    if (next == null
        || !next.startsWith(ROOT + "/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.contains("://")
        || next.chars().anyMatch(ch -> ch < 0x20)) {
      return NAMESPACES;
    }
    return next;
  }
}
