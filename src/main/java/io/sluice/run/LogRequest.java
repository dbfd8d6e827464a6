package io.sluice.run;

import io.sluice.api.Params;
import io.sluice.render.PodTemplates;

/**
 * What a caller asked of a log read, as {@code kubectl logs} takes it: follow, the last N lines,
 * lines of the last N seconds, a container, its previous (crashed) instance, timestamps.
 */
public record LogRequest(
    boolean follow,
    Integer tailLines,
    Integer sinceSeconds,
    String container,
    boolean previous,
    boolean timestamps) {

  /** Checks and reads the query parameters; a bad one is a 400 naming it. */
  public static LogRequest of(LogParams p) {
    return of(p.follow, p.tailLines, p.sinceSeconds, p.container, p.previous, p.timestamps);
  }

  static LogRequest of(
      String follow,
      String tailLines,
      String sinceSeconds,
      String container,
      String previous,
      String timestamps) {
    LogRequest request =
        new LogRequest(
            Params.optionalBool("follow", follow),
            blank(tailLines) ? null : Params.bounded("tailLines", tailLines, 1, 100_000),
            blank(sinceSeconds)
                ? null
                : Params.bounded("sinceSeconds", sinceSeconds, 1, 366 * 24 * 3600),
            blank(container) ? PodTemplates.CONTAINER : container,
            Params.optionalBool("previous", previous),
            Params.optionalBool("timestamps", timestamps));
    if (request.follow && request.previous) {
      throw io.sluice.api.SluiceException.badParameter(
          "previous", "a previous container has ended: it cannot be followed");
    }
    if (!io.sluice.job.KubernetesSyntax.isDnsLabel(request.container, 63)) {
      throw io.sluice.api.SluiceException.badParameter(
          "container", "must be a container name (a DNS-1123 label)");
    }
    return request;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
