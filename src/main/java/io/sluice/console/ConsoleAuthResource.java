package io.sluice.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sluice.api.SluiceException;
import io.sluice.sandbox.SandboxToken;
import io.sluice.security.ConsoleSessions;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Signing in to and out of the console. Sign-in takes an API token (in sandbox mode the sandbox's
 * own is filled in) and answers a session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS. The
 * sign-in form itself is protected against login CSRF by a double-submitted random value.
 */
@Path(ConsolePaths.ROOT)
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class ConsoleAuthResource {
  static final String LOGIN_COOKIE = "sluice_login";

  private final Template login;
  private final ConsoleSessions sessions;
  private final SandboxToken sandbox;
  private final ConsoleContext console;

  public ConsoleAuthResource(
      @Location("console/login.html") Template login,
      ConsoleSessions sessions,
      SandboxToken sandbox,
      ConsoleContext console) {
    this.login = login;
    this.sessions = sessions;
    this.sandbox = sandbox;
    this.console = console;
  }

  @GET
  @Operation(hidden = true)
  public Response root() {
    return Response.seeOther(URI.create(ConsolePaths.NAMESPACES)).build();
  }

  @GET
  @Path("/login")
  @Operation(hidden = true)
  public Response form(@QueryParam("next") String next, @Context UriInfo uri) {
    return page(next, null, uri, 200);
  }

  @POST
  @Path("/login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response signIn(
      @FormParam("token") String token,
      @FormParam("csrf") String csrf,
      @FormParam("next") String next,
      @CookieParam(LOGIN_COOKIE) String expected,
      @Context UriInfo uri) {
    if (expected == null
        || csrf == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8))) {
      return page(next, "The sign-in form expired; please try again.", uri, 403);
    }
    ConsoleSessions.Opened session;
    try {
      session = sessions.open(token);
    } catch (SluiceException e) {
      return page(next, e.getMessage(), uri, 401);
    }
    return Response.seeOther(URI.create(ConsolePaths.safeNext(next)))
        .cookie(
            cookie(
                ConsoleSessions.COOKIE,
                session.cookie(),
                uri,
                Duration.between(Instant.now(), session.expiresAt())),
            cookie(LOGIN_COOKIE, "", uri, Duration.ZERO))
        .build();
  }

  @POST
  @Path("/logout")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response signOut(
      @FormParam("csrf") String csrf,
      @CookieParam(ConsoleSessions.COOKIE) String cookie,
      @Context UriInfo uri) {
    if (cookie != null && console.csrf() != null) {
      console.checkCsrf(csrf);
      sessions.close(cookie);
    }
    return Response.seeOther(URI.create(ConsolePaths.LOGIN))
        .cookie(cookie(ConsoleSessions.COOKIE, "", uri, Duration.ZERO))
        .build();
  }

  private Response page(String next, String error, UriInfo uri, int status) {
    String csrf = io.sluice.security.ApiTokens.random();
    TemplateInstance page =
        login
            .data("csrf", csrf)
            .data("next", ConsolePaths.safeNext(next))
            .data("error", error)
            .data("sandboxToken", sandbox.token().orElse(null));
    return Response.status(status)
        .entity(page)
        .cookie(cookie(LOGIN_COOKIE, csrf, uri, Duration.ofMinutes(30)))
        .build();
  }

  /** HttpOnly, SameSite=Strict, Secure when the console is reached over HTTPS. */
  static NewCookie cookie(String name, String value, UriInfo uri, Duration maxAge) {
    return new NewCookie.Builder(name)
        .value(value)
        .path("/")
        .httpOnly(true)
        .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge((int) Math.max(0, maxAge.toSeconds()))
        .build();
  }
}
