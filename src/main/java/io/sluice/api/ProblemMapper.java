package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The single place where failures become RFC 9457 problem documents. Nothing here echoes exception
 * class names, SQL or stack traces to the caller: unexpected failures get a reference id that is
 * logged next to the stack trace.
 */
public class ProblemMapper {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  private final Routes routes;

  public ProblemMapper(Routes routes) {
    this.routes = routes;
  }

  static final int RETRY_AFTER_SECONDS = 5;

  @ServerExceptionMapper
  public Response sluice(SluiceException e, UriInfo uri) {
    Response response = Problem.of(e.reason(), e.getMessage(), path(uri), e.errors()).toResponse();
    int status = e.reason().status();
    if (status == 429 || status == 503) {
      // Both mean "come back later": say when.
      return Response.fromResponse(response).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
    return response;
  }

  @ServerExceptionMapper
  public Response unreadableBody(MismatchedInputException e, UriInfo uri) {
    return bodyProblem(e, path(uri)).toResponse();
  }

  /** A YAML (or JSON) document that does not parse at all. */
  @ServerExceptionMapper
  public Response unparsable(com.fasterxml.jackson.core.JsonProcessingException e, UriInfo uri) {
    return bodyProblem(e, path(uri)).toResponse();
  }

  /**
   * What is wrong with a request body that did not bind, in the API's words: the field, what it
   * must be and what was sent (never the Java types behind it), or where the document stops
   * parsing. Also the web console's words for the YAML a person typed.
   */
  public static Problem bodyProblem(JsonProcessingException e, String instance) {
    if (!(e instanceof MismatchedInputException mismatch)) {
      return Problem.of(
          Reason.MALFORMED_REQUEST,
          "Request body cannot be parsed: " + describeWithLocation(e),
          instance,
          List.of());
    }
    String field = JsonPaths.of(mismatch);
    if (mismatch instanceof UnrecognizedPropertyException unknown) {
      return fieldProblem(
          Reason.MALFORMED_REQUEST,
          field,
          "unknown field '" + unknown.getPropertyName() + "'" + known(unknown),
          instance);
    }
    if (mismatch instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()) {
      return fieldProblem(
          Reason.VALIDATION_FAILED,
          field,
          "must be one of "
              + enumValues(invalid.getTargetType())
              + ", not '"
              + invalid.getValue()
              + "'",
          instance);
    }
    return fieldProblem(Reason.MALFORMED_REQUEST, field, describeMismatch(mismatch), instance);
  }

  @ServerExceptionMapper
  public Response web(
      WebApplicationException e,
      UriInfo uri,
      jakarta.ws.rs.core.HttpHeaders headers,
      jakarta.ws.rs.core.Request request) {
    if (e.getCause() instanceof JsonProcessingException json) {
      if (json instanceof MismatchedInputException mismatch) {
        return unreadableBody(mismatch, uri);
      }
      return Problem.of(
              Reason.MALFORMED_REQUEST,
              "Request body is not valid JSON: " + describeWithLocation(json),
              path(uri),
              List.of())
          .toResponse();
    }
    int status = e.getResponse().getStatus();
    Reason reason = Reason.forStatus(status);
    String allowed = status == 405 ? String.join(", ", routes.allowed(uri.getPath())) : null;
    String detail =
        switch (status) {
          case 404 -> "No resource at this path";
          case 405 -> "This path does not take " + request.getMethod() + "; it takes " + allowed;
          case 406 ->
              "Cannot answer in a media type the Accept header allows: most operations answer"
                  + " application/json, logs text/plain, manifests application/yaml, errors"
                  + " application/problem+json (see "
                  + ContractRoute.PATH
                  + ")";
          case 415 ->
              "Content-Type '"
                  + (headers.getMediaType() == null ? "none" : headers.getMediaType().toString())
                  + "' is not accepted here: send application/json, or for job definitions"
                  + " also YAML (application/yaml, application/x-yaml or text/yaml)";
          default -> reason.title();
        };
    Response.ResponseBuilder response =
        Response.status(status)
            .type(Problem.MEDIA)
            .entity(Problem.of(reason, detail, path(uri), List.of()));
    if (allowed != null) {
      response.header("Allow", allowed);
    }
    return response.build();
  }

  /** No credentials, or credentials that do not verify: the same answer, so nothing leaks. */
  @ServerExceptionMapper({
    io.quarkus.security.UnauthorizedException.class,
    io.quarkus.security.AuthenticationFailedException.class,
    io.quarkus.security.AuthenticationCompletionException.class
  })
  public Response unauthenticated(
      RuntimeException e, UriInfo uri, jakarta.ws.rs.core.Request request) {
    if (uri != null && io.sluice.security.SessionAuthenticationMechanism.isConsole(uri.getPath())) {
      return io.sluice.console.ConsoleResponses.signIn(uri, request.getMethod());
    }
    return Response.status(401)
        .type(Problem.MEDIA)
        .header("WWW-Authenticate", "Bearer realm=\"sluice\"")
        .entity(
            Problem.of(
                Reason.UNAUTHENTICATED,
                "A valid bearer token is required (Authorization: Bearer <token>)",
                path(uri),
                List.of()))
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
    return Problem.of(
            Reason.FORBIDDEN, "Your role does not allow this operation", path(uri), List.of())
        .toResponse();
  }

  /** PostgreSQL unreachable or the pool exhausted: tell the caller to come back, store nothing. */
  @ServerExceptionMapper(java.sql.SQLTransientConnectionException.class)
  public Response databaseUnavailable(Exception e, UriInfo uri) {
    LOG.warnf("Database unavailable for %s: %s", path(uri), whatFailed(e));
    return unavailable(uri);
  }

  /**
   * For the log: what Sluice was doing and what PostgreSQL said, from the {@link StoreException} in
   * the chain (a failed commit wraps the one its held writes threw), else the failure's own.
   */
  static String whatFailed(Throwable e) {
    for (Throwable t : chain(e)) {
      if (t instanceof StoreException && t.getCause() != null) {
        return t.getMessage() + ": " + t.getCause().getMessage();
      }
    }
    return e.getMessage();
  }

  /** {@code e} and its causes, outermost first, each once. */
  private static List<Throwable> chain(Throwable e) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (isConnectionFailure(e)) {
      return databaseUnavailable((Exception) e, uri);
    }
    String ref = UUID.randomUUID().toString();
    LOG.errorf(e, "Unexpected failure handling %s (reference %s)", path(uri), ref);
    return Problem.of(
            Reason.INTERNAL_ERROR, "Unexpected error; reference " + ref, path(uri), List.of())
        .toResponse();
  }

  private static Response unavailable(UriInfo uri) {
    return Response.status(503)
        .type(Problem.MEDIA)
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .entity(
            Problem.of(
                Reason.SERVICE_UNAVAILABLE,
                "The database is unavailable; nothing was stored. Retry later.",
                path(uri),
                List.of()))
        .build();
  }

  /**
   * True when a failure comes from PostgreSQL being away or overloaded: a lost or refused
   * connection (SQL state 08xxx), a server shutting down (57P..), or a statement cancelled by
   * {@code statement_timeout} (57014).
   */
  static boolean isConnectionFailure(Throwable e) {
    for (Throwable t : chain(e)) {
      if (t instanceof java.sql.SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08")
              || sql.getSQLState().startsWith("57P")
              || sql.getSQLState().equals("57014"))) {
        return true;
      }
    }
    return false;
  }

  private static Problem fieldProblem(
      Reason reason, String field, String message, String instance) {
    String where = field.isEmpty() ? "body" : field;
    return Problem.of(
        reason, where + ": " + message, instance, List.of(new FieldError(where, message)));
  }

  /**
   * A value of the wrong shape, in the API's words: what the field must be and what was sent, never
   * the Java types behind it.
   */
  static String describeMismatch(MismatchedInputException e) {
    if (e instanceof InvalidFormatException invalid
        && NoNulStrings.MESSAGE.equals(invalid.getOriginalMessage())) {
      return NoNulStrings.MESSAGE;
    }
    String expected = JsonTypes.describe(e.getTargetType());
    String got = JsonTypes.sent(e);
    if (expected == null) {
      return got == null ? "unreadable value" : "unexpected " + got;
    }
    return got == null ? "must be " + expected : "must be " + expected + ", got " + got;
  }

  /** A parse error with where it happened, its message scrubbed of library internals. */
  static String describeWithLocation(JsonProcessingException e) {
    String message = JsonTypes.scrub(e.getOriginalMessage());
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 1
            ? ""
            : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    return where + message + JsonTypes.hint(e);
  }

  /** The fields the target accepts, for an unknown one: "; known fields: a, b". */
  private static String known(UnrecognizedPropertyException e) {
    if (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()) {
      return "";
    }
    return "; known fields: "
        + e.getKnownPropertyIds().stream()
            .map(String::valueOf)
            .sorted()
            .collect(Collectors.joining(", "));
  }

  private static String enumValues(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(Object::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String path(UriInfo uri) {
    return uri == null ? null : uri.getRequestUri().getRawPath();
  }

  /** Renders Jackson's reference path as {@code spec.env[0].name}. */
  static final class JsonPaths {
    private JsonPaths() {}

    static String of(JsonMappingException e) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference ref : e.getPath()) {
        if (ref.getFieldName() != null) {
          if (path.length() > 0) {
            path.append('.');
          }
          path.append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      return path.toString();
    }
  }
}
