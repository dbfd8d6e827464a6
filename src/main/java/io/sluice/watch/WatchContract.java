package io.sluice.watch;

import io.sluice.api.Problem;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Declares the watch on the list operations it belongs to (as Kubernetes does): the {@code watch},
 * {@code resourceVersion} and {@code timeoutSeconds} parameters and {@code Last-Event-ID}, the
 * {@code text/event-stream} answer with one typed event schema per resource, and the 410 and 429 a
 * watch can get. {@link WatchResource}'s methods are hidden: they are these operations. Applied
 * when the contract is generated (see {@link io.sluice.api.ContractFilters}).
 */
public class WatchContract implements OASFilter {
  /** List operation → the schema of the resource its watch sends. */
  private static final Map<String, String> WATCHED =
      Map.of(
          "listJobs", "Job",
          "listAllJobs", "Job",
          "listRuns", "Run",
          "listPipelineRuns", "PipelineRun");

  private static final String EVENT_TYPE = "WatchEventType";

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    var components = openAPI.getComponents();
    components.addSchema(
        EVENT_TYPE,
        OASFactory.createSchema()
            .addType(Schema.SchemaType.STRING)
            .description(
                "ADDED, MODIFIED, DELETED carry the resource as it is when the event is sent;"
                    + " BOOKMARK only a resourceVersion to resume from; ERROR a problem document,"
                    + " after which the stream ends (410: list again)")
            .enumeration(List.of("ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR")));
    for (String resource : List.of("Job", "Run", "PipelineRun")) {
      components.addSchema(resource + "WatchEvent", eventSchema(resource));
    }
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) ->
                item.getOperations()
                    .values()
                    .forEach(
                        op -> {
                          String resource = WATCHED.get(op.getOperationId());
                          if (resource != null) {
                            declare(op, resource);
                          }
                        }));
  }

  private static Schema eventSchema(String resource) {
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description(
            "The data of one Server-Sent Event of a watch of "
                + resource
                + " resources; the event's name is its type and its id its resourceVersion")
        .required(List.of("type"))
        .addProperty("type", ref(EVENT_TYPE))
        .addProperty(
            "resourceVersion",
            OASFactory.createSchema()
                .addType(Schema.SchemaType.STRING)
                .description("Resume after this event with Last-Event-ID or ?resourceVersion=")
                .example("1042"))
        .addProperty(
            "object",
            OASFactory.createSchema()
                .description(
                    "The " + resource + " (ADDED, MODIFIED, DELETED) or a problem document (ERROR)")
                .anyOf(List.of(ref(resource), ref("Problem"))));
  }

  private static void declare(Operation op, String resource) {
    op.addParameter(
        query(
            WatchRouting.WATCH,
            OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN),
            "true: instead of a page, stream every change as Server-Sent Events (text/event-stream)"
                + " — without resourceVersion first the current "
                + resource
                + " resources as ADDED events and a BOOKMARK; a BOOKMARK at least every 15 s"));
    op.addParameter(
        query(
            Watches.RESOURCE_VERSION,
            OASFactory.createSchema().addType(Schema.SchemaType.STRING),
            "With watch=true: send only the changes after this position (a list's"
                + " resourceVersion or an event's id); 410 when it is older than the kept history"));
    op.addParameter(
        query(
            Watches.TIMEOUT,
            OASFactory.createSchema()
                .addType(Schema.SchemaType.INTEGER)
                .format("int32")
                .minimum(BigDecimal.ONE)
                .maximum(BigDecimal.valueOf(86_400)),
            "With watch=true: end the stream after this many seconds (at most the server's"
                + " sluice.watch.max-duration, 30 minutes by default)"));
    op.addParameter(
        OASFactory.createParameter()
            .name(Watches.LAST_EVENT_ID)
            .in(Parameter.In.HEADER)
            .description(
                "With watch=true: the id of the last event received; a reconnecting EventSource"
                    + " sends it. Takes precedence over resourceVersion")
            .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
    var ok = op.getResponses().getAPIResponse("200");
    ok.getContent()
        .addMediaType(
            "text/event-stream",
            OASFactory.createMediaType()
                .schema(ref(resource + "WatchEvent"))
                .addExtension(
                    "x-sluice-stream",
                    "Server-Sent Events: each event's data is one "
                        + resource
                        + "WatchEvent, its name the type, its id the resourceVersion"));
    op.getResponses()
        .addAPIResponse(
            "410",
            problem(
                "With watch=true: the resourceVersion is older than the history this server keeps"
                    + " (or newer than any it gave); list again and watch from the list's"
                    + " resourceVersion"));
    var busy =
        problem(
            "With watch=true: too many open watches (per caller or on this replica); retry after"
                + " Retry-After seconds");
    busy.addHeader(
        "Retry-After",
        OASFactory.createHeader()
            .description("Seconds to wait before retrying")
            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
    op.getResponses().addAPIResponse("429", busy);
  }

  private static Parameter query(String name, Schema schema, String description) {
    return OASFactory.createParameter()
        .name(name)
        .in(Parameter.In.QUERY)
        .description(description)
        .schema(schema);
  }

  private static org.eclipse.microprofile.openapi.models.responses.APIResponse problem(
      String description) {
    return OASFactory.createAPIResponse()
        .description(description)
        .content(
            OASFactory.createContent()
                .addMediaType(
                    Problem.MEDIA_TYPE, OASFactory.createMediaType().schema(ref("Problem"))));
  }

  private static Schema ref(String schema) {
    return OASFactory.createSchema().ref("#/components/schemas/" + schema);
  }
}
