package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Serves the committed contract ({@code openapi/openapi.yaml}, packaged as {@value #RESOURCE}) at
 * {@value #PATH}: YAML by default, JSON for {@code ?format=json}, an {@code Accept} naming {@code
 * application/json} or the {@code .json} path, as Quarkus' OpenAPI extension answered. The document
 * is not rebuilt from the annotations at run time: that cost about 0.45 s of every start (a 0.2 MB
 * model parsed and written twice). {@code OpenApiContractTest} generates the document from the
 * annotations and fails the build when the committed file differs, so what is served is what the
 * code does. The JSON form is made on first request and kept (one document, bounded).
 */
@Singleton
public class ContractRoute {
  /** Where the contract is served; the API's index and error details point here. */
  public static final String PATH = "/q/openapi";

  static final String RESOURCE = "META-INF/sluice/openapi.yaml";
  private static final String JSON = "application/json";
  private static final String YAML = "application/yaml";

  private volatile Buffer yaml;
  private volatile Buffer json;

  void install(@Observes Router router) {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
      // Blocking: the first request reads the resource and makes the JSON form.
      router.route(method, PATH).blockingHandler(this::negotiated, false);
      router.route(method, PATH + ".json").blockingHandler(ctx -> send(ctx, true), false);
      router.route(method, PATH + ".yaml").blockingHandler(ctx -> send(ctx, false), false);
      router.route(method, PATH + ".yml").blockingHandler(ctx -> send(ctx, false), false);
    }
  }

  private void negotiated(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    List<String> format = ctx.queryParam("format");
    boolean json =
        (accept != null && accept.contains(JSON))
            || (!format.isEmpty() && "json".equalsIgnoreCase(format.get(0)));
    send(ctx, json);
  }

  private void send(RoutingContext ctx, boolean asJson) {
    ctx.response()
        .putHeader("Content-Type", (asJson ? JSON : YAML) + ";charset=UTF-8")
        .end(asJson ? json() : yaml());
  }

  private Buffer yaml() {
    Buffer document = yaml;
    if (document == null) {
      try (InputStream in = resource()) {
        document = Buffer.buffer(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
      yaml = document;
    }
    return document;
  }

  private Buffer json() {
    Buffer document = json;
    if (document == null) {
      try {
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(yaml().getBytes());
        document =
            Buffer.buffer(
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot convert " + RESOURCE + " to JSON", e);
      }
      json = document;
    }
    return document;
  }

  private static InputStream resource() throws IOException {
    InputStream in = ContractRoute.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException(RESOURCE + " is not on the class path");
    }
    return in;
  }
}
