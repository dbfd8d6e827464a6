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
 * the HTTP server's bare 413. (Chunked bodies are still cut off by {@code
 * quarkus.http.limits.max-body-size}.)
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
                return;
              }
              ctx.next();
            });
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
