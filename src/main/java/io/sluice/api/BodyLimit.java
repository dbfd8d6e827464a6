package io.sluice.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses oversized bodies up front, by their Content-Length, with a problem document rather than
 * the HTTP server's bare 413; and reads an API write's body whole on the event loop before the
 * resource method runs. RESTEasy Reactive reads the body of a blocking method (every API write:
 * they run transactions) from a stream on the worker thread, fed chunk by chunk by the event loop
 * under a shared monitor; a profile of job creation at 32 clients found the event loops spinning on
 * that monitor in about a tenth of all samples. With the body already read, the method reads it
 * from memory (HTTP/1.x; an HTTP/2 body streams as before). A chunked body larger than the limit is
 * refused with the same problem document.
 */
@Singleton
public class BodyLimit {
  private final long maxBytes;
  private final ObjectMapper mapper;

  public BodyLimit(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "1M")
          io.quarkus.runtime.configuration.MemorySize max,
      ObjectMapper mapper) {
    this.maxBytes = max.asLongValue();
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              if (length != null && tooLarge(length)) {
                refuse(ctx);
                return;
              }
              ctx.next();
            });
    io.vertx.ext.web.handler.BodyHandler whole =
        io.vertx.ext.web.handler.BodyHandler.create(false)
            .setBodyLimit(maxBytes)
            .setPreallocateBodyBuffer(true);
    for (io.vertx.core.http.HttpMethod method : WRITES) {
      router
          .route(method, "/api/*")
          .order(Integer.MIN_VALUE + 1)
          .handler(
              ctx -> {
                // HTTP/2 is left to stream: RESTEasy Reactive pauses every request it starts,
                // which an HTTP/2 request refuses once its body has been read.
                if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2
                    && readWhole(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
                  whole.handle(ctx);
                } else {
                  ctx.next();
                }
              })
          .failureHandler(
              ctx -> {
                if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                  refuse(ctx);
                } else {
                  ctx.next();
                }
              });
    }
  }

  private static final List<io.vertx.core.http.HttpMethod> WRITES =
      List.of(io.vertx.core.http.HttpMethod.POST, io.vertx.core.http.HttpMethod.PUT);

  /** The bodies the API reads as documents (JSON, YAML); anything else streams as before. */
  private static boolean readWhole(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(java.util.Locale.ROOT);
    return type.startsWith("application/json") || type.contains("yaml");
  }

  private void refuse(io.vertx.ext.web.RoutingContext ctx) {
    Problem problem =
        Problem.of(
            Reason.PAYLOAD_TOO_LARGE,
            "The body is larger than " + maxBytes + " bytes",
            ctx.request().path(),
            List.of());
    try {
      ctx.response()
          .setStatusCode(413)
          .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
          .putHeader(HttpHeaders.CONNECTION, "close")
          .end(mapper.writeValueAsString(problem));
    } catch (Exception e) {
      ctx.fail(413);
    }
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
