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
@Produces(MediaType.APPLICATION_JSON)
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
      content = @Content(schema = @Schema(implementation = IndexResource.Index.class)))
  @APIResponse(
      responseCode = "406",
      description = "The Accept header excludes application/json",
      content =
          @Content(
              mediaType = io.sluice.api.Problem.MEDIA_TYPE,
              schema = @Schema(implementation = io.sluice.api.Problem.class)))
  public IndexResource.Index root() {
    return index.index();
  }
}
