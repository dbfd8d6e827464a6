package io.sluice.api;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Declares once, in {@code components.responses} and {@code components.headers}, the problem
 * answers any operation can give, and references them from every {@code /api} operation that can
 * produce them (as GitHub's API description does): 400 for a malformed parameter or unknown query
 * parameter, 404 for anything under a path that names something, 406 for an Accept it cannot meet,
 * 412 for an operation that takes If-Match, 413 and 415 for a body, 503 with Retry-After while
 * PostgreSQL is unavailable. An operation's own description of the same status, where it has one,
 * is kept; an error answer an operation declares with words only gets the problem document. Applied
 * when the contract is generated from the annotations (see {@link ContractFilters}).
 */
public class CommonResponses implements OASFilter {
  static final String RETRY_AFTER = "Retry-After";
  private static final String BAD_BODY =
      "The body is malformed or has an unknown field, or a parameter or header is invalid";

  private static final Map<String, String> DESCRIPTIONS =
      new java.util.TreeMap<>(
          Map.of(
              "400",
                  "A path or query parameter, cursor or header is malformed, or a query parameter"
                      + " is unknown",
              "404", "No such resource, or a namespace the token does not grant",
              "406", "The Accept header excludes every media type this operation answers",
              "412", "If-Match does not name the current version",
              "413", "The body is larger than 1 MiB",
              "415", "The body's Content-Type is not one this operation accepts",
              "503",
                  "PostgreSQL (or for logs the Kubernetes API) is unavailable; nothing was stored"));

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    Components components = openAPI.getComponents();
    components.addHeader(
        RETRY_AFTER,
        OASFactory.createHeader()
            .description("Seconds to wait before retrying")
            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
    DESCRIPTIONS.forEach((code, description) -> components.addResponse(name(code), problem(code)));
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              if (SecurityContract.isSecured(path)) {
                item.getOperations().values().forEach(op -> declare(path, op));
              }
            });
  }

  /** Parameters Sluice parses itself from text, and the JSON type a client should send. */
  private static final Map<String, Schema.SchemaType> TYPED =
      Map.ofEntries(
          Map.entry("run", Schema.SchemaType.INTEGER),
          Map.entry("revision", Schema.SchemaType.INTEGER),
          Map.entry("from", Schema.SchemaType.INTEGER),
          Map.entry("to", Schema.SchemaType.INTEGER),
          Map.entry("limit", Schema.SchemaType.INTEGER),
          Map.entry("tailLines", Schema.SchemaType.INTEGER),
          Map.entry("sinceSeconds", Schema.SchemaType.INTEGER),
          Map.entry("follow", Schema.SchemaType.BOOLEAN),
          Map.entry("previous", Schema.SchemaType.BOOLEAN),
          Map.entry("timestamps", Schema.SchemaType.BOOLEAN),
          Map.entry("purgeVolumes", Schema.SchemaType.BOOLEAN));

  /**
   * Path parameters in the order the path names them (generated clients take them in this order),
   * the others after them as they were; numbers and flags typed as what they are.
   */
  private static void shapeParameters(String path, Operation op) {
    if (op.getParameters() == null) {
      return;
    }
    java.util.List<org.eclipse.microprofile.openapi.models.parameters.Parameter> ordered =
        new java.util.ArrayList<>(op.getParameters());
    ordered.sort(
        java.util.Comparator.comparingInt(
            p ->
                p.getIn() == org.eclipse.microprofile.openapi.models.parameters.Parameter.In.PATH
                    ? path.indexOf("{" + p.getName() + "}")
                    : Integer.MAX_VALUE));
    for (var p : ordered) {
      Schema.SchemaType type = TYPED.get(p.getName());
      if (type != null
          && p.getIn() != org.eclipse.microprofile.openapi.models.parameters.Parameter.In.HEADER) {
        Schema schema = OASFactory.createSchema().addType(type);
        if (type == Schema.SchemaType.INTEGER) {
          schema.format("int32").minimum(java.math.BigDecimal.ONE);
        }
        p.setSchema(schema);
      }
    }
    op.setParameters(ordered);
  }

  private static void declare(String path, Operation op) {
    shapeParameters(path, op);
    if (op.getParameters() != null
        && op.getParameters().stream().anyMatch(p -> Idempotency.HEADER.equals(p.getName()))) {
      // A replayed answer says so; declared on every success of an operation that takes a key.
      op.getResponses()
          .getAPIResponses()
          .forEach(
              (code, response) -> {
                if (code.startsWith("2") && response.getRef() == null) {
                  response.addHeader(
                      Idempotency.REPLAYED,
                      OASFactory.createHeader()
                          .description("true when this is the stored answer to an earlier request")
                          .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
                }
              });
    }
    if (op.getRequestBody() != null && op.getResponses().getAPIResponse("400") == null) {
      // A body can be malformed too, which the shared 400 does not say.
      op.getResponses().addAPIResponse("400", OASFactory.createAPIResponse().description(BAD_BODY));
    }
    add(op, "400");
    add(op, "406");
    add(op, "503");
    if (path.contains("{")) {
      add(op, "404");
    }
    if (op.getRequestBody() != null) {
      add(op, "413");
      add(op, "415");
    }
    if (op.getParameters() != null
        && op.getParameters().stream().anyMatch(p -> "If-Match".equals(p.getName()))) {
      add(op, "412");
    }
    op.getResponses()
        .getAPIResponses()
        .forEach(
            (code, r) -> {
              // 401 and 403 are SecurityContract's to describe.
              if (code.charAt(0) >= '4'
                  && !code.equals("401")
                  && !code.equals("403")
                  && r.getRef() == null
                  && r.getContent() == null) {
                // Declared with words only: every error answer is a problem document.
                r.setContent(SecurityContract.problem(r.getDescription()).getContent());
              }
            });
    // JSON first where an answer offers more: generators type an operation by its first one.
    op.getResponses()
        .getAPIResponses()
        .values()
        .forEach(
            r -> {
              var content = r.getContent();
              if (content != null
                  && content.getMediaTypes() != null
                  && content.getMediaTypes().size() > 1
                  && content.getMediaTypes().containsKey("application/json")) {
                var jsonFirst = OASFactory.createContent();
                jsonFirst.addMediaType(
                    "application/json", content.getMediaType("application/json"));
                content.getMediaTypes().forEach(jsonFirst::addMediaType);
                r.setContent(jsonFirst);
              }
            });
    // In status order, whatever order they were declared or added in.
    op.getResponses().setAPIResponses(new java.util.TreeMap<>(op.getResponses().getAPIResponses()));
  }

  private static void add(Operation op, String code) {
    if (op.getResponses().getAPIResponse(code) == null) {
      op.getResponses()
          .addAPIResponse(
              code, OASFactory.createAPIResponse().ref("#/components/responses/" + name(code)));
    } else {
      APIResponse own = op.getResponses().getAPIResponse(code);
      if (own.getRef() == null && own.getContent() == null) {
        // An operation's own words, with the problem document every error answer carries.
        own.setContent(problem(code).getContent());
      }
      if ("503".equals(code) && own.getRef() == null) {
        // ...and the header every 503 carries.
        own.addHeader(RETRY_AFTER, retryAfterRef());
      }
    }
  }

  static String name(String code) {
    return switch (code) {
      case "400" -> "BadRequest";
      case "404" -> "NotFound";
      case "406" -> "NotAcceptable";
      case "412" -> "PreconditionFailed";
      case "413" -> "PayloadTooLarge";
      case "415" -> "UnsupportedMediaType";
      case "503" -> "Unavailable";
      default -> throw new IllegalArgumentException(code);
    };
  }

  private static Header retryAfterRef() {
    return OASFactory.createHeader().ref("#/components/headers/" + RETRY_AFTER);
  }

  private static APIResponse problem(String code) {
    APIResponse response = SecurityContract.problem(DESCRIPTIONS.get(code));
    if ("503".equals(code)) {
      response.addHeader(RETRY_AFTER, retryAfterRef());
    }
    return response;
  }
}
