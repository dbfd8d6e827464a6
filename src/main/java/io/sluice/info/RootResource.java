package io.sluice.info;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The server's root answers the API's index, so a first visit finds its way. */
@Path("/")
@Tag(name = "Info", description = "About this Sluice")
@Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
@PermitAll
public class RootResource {
  private final IndexResource index;

  public RootResource(IndexResource index) {
    this.index = index;
  }

  @GET
  @Operation(
      operationId = "getRoot",
      description = "What this server is, with links to the API. Needs no token.",
      summary = "What this server is, with links to the API")
  @APIResponse(
      responseCode = "200",
      description = "An index of the API",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = IndexResource.Index.class)))
  @APIResponse(
      responseCode = "303",
      description = "A browser (Accept: text/html) is sent to the web console at /ui/",
      headers =
          @org.eclipse.microprofile.openapi.annotations.headers.Header(
              name = "Location",
              description = "The console's address",
              schema =
                  @Schema(
                      type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
  @APIResponse(
      responseCode = "406",
      description = "The Accept header excludes application/json",
      content =
          @Content(
              mediaType = io.sluice.api.Problem.MEDIA_TYPE,
              schema = @Schema(implementation = io.sluice.api.Problem.class)))
  public jakarta.ws.rs.core.Response root(
      @jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers) {
    if (wantsPage(headers)) {
      return jakarta.ws.rs.core.Response.seeOther(java.net.URI.create("/ui/")).build();
    }
    return jakarta.ws.rs.core.Response.ok(index.index(), MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** A browser names text/html; a client that accepts anything (curl) still gets the index. */
  static boolean wantsPage(jakarta.ws.rs.core.HttpHeaders headers) {
    for (MediaType type : headers.getAcceptableMediaTypes()) {
      if (type.isWildcardType()) {
        return false;
      }
      if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardSubtype()) {
        return true;
      }
      if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return false;
      }
    }
    return false;
  }
}
