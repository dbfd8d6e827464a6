package io.sluice.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.sluice.api.Problem;
import io.sluice.security.SessionAuthenticationMechanism;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Makes every console answer a page a person can use: a request without a live session goes to the
 * sign-in page (and back afterwards), any other error is the problem's words on a page with the
 * same status. Console pages carry a strict Content-Security-Policy (scripts and styles only from
 * Sluice itself), cannot be framed, and are never cached.
 */
public class ConsoleResponses {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none';"
          + " object-src 'none'";

  private final Template error;
  private final boolean enabled;

  public ConsoleResponses(
      @Location("console/error.html") Template error, io.sluice.config.SluiceConfig config) {
    this.error = error;
    this.enabled = config.console().enabled();
  }

  /** With {@code sluice.console.enabled=false} the console is not there at all. */
  @org.jboss.resteasy.reactive.server.ServerRequestFilter(preMatching = true)
  public void off(ContainerRequestContext request) {
    if (!enabled && SessionAuthenticationMechanism.isConsole(request.getUriInfo().getPath())) {
      throw new io.sluice.api.SluiceException(
          io.sluice.api.Reason.NOT_FOUND, "The web console is turned off (sluice.console.enabled)");
    }
  }

  @ServerResponseFilter
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String path = request.getUriInfo().getPath();
    if (!SessionAuthenticationMechanism.isConsole(path)) {
      return;
    }
    var headers = response.getHeaders();
    headers.putSingle("Content-Security-Policy", CSP);
    headers.putSingle("X-Frame-Options", "DENY");
    headers.putSingle("X-Content-Type-Options", "nosniff");
    headers.putSingle("Referrer-Policy", "same-origin");
    headers.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    if (response.getEntity() instanceof Problem problem) {
      response.setEntity(
          error
              .data("status", problem.status())
              .data("title", problem.title())
              .data("detail", problem.detail())
              .data("errors", problem.errors())
              .data("back", back(request))
              .render(),
          null,
          MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }
  }

  /** A 303 to the sign-in page that returns to {@code uri} (its query too, for a GET). */
  public static jakarta.ws.rs.core.Response signIn(jakarta.ws.rs.core.UriInfo uri, String method) {
    String back = uri.getRequestUri().getRawPath();
    String query = uri.getRequestUri().getRawQuery();
    if ("GET".equals(method) && query != null) {
      back += "?" + query;
    }
    return jakarta.ws.rs.core.Response.seeOther(
            java.net.URI.create(
                ConsolePaths.LOGIN
                    + "?next="
                    + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8)))
        .build();
  }

  /**
   * The console page the person came from, if it was one of this console's (never another site).
   */
  private static String back(ContainerRequestContext request) {
    String referer = request.getHeaderString("Referer");
    String console =
        request.getUriInfo().getBaseUri().resolve(ConsolePaths.ROOT.substring(1) + "/").toString();
    return referer != null && referer.startsWith(console) && referer.length() < 2048
        ? referer
        : null;
  }
}
