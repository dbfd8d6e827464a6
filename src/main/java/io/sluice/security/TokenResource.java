package io.sluice.security;

import static io.sluice.api.ProblemResponses.*;

import io.sluice.api.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API tokens, managed by admins. Creating one is deliberately not idempotent: replaying would mean
 * storing the response, and the response is the one place the secret exists.
 */
@Path("/api/v1/tokens")
@Tag(name = "Tokens", description = "API tokens for machine callers (admin only)")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_ROLE)
public class TokenResource {
  private final ApiTokens tokens;
  private final Caller caller;

  public TokenResource(ApiTokens tokens, Caller caller) {
    this.tokens = tokens;
    this.caller = caller;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createToken",
      description =
          "Creates an API token for machine callers. The secret is in this answer only and is never stored; a token never grants more than its creator holds, and its name is never reused.",
      summary = "Create an API token; the response is the only time its secret is shown")
  @APIResponse(
      responseCode = "201",
      description = "Created; the only answer that carries the token's secret, never cached",
      headers =
          @org.eclipse.microprofile.openapi.annotations.headers.Header(
              name = "Cache-Control",
              description = "no-store",
              schema =
                  @Schema(
                      type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
      content = @Content(schema = @Schema(implementation = IssuedToken.class)))
  @APIResponse(
      responseCode = "403",
      description = "The token would grant more than the caller holds",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "A live token has this name",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "422",
      description = INVALID,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response create(CreateTokenRequest request) {
    ApiTokens.Issued issued = tokens.issue(caller.grant(), request);
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.status(201)
        .cacheControl(noStore)
        .entity(new IssuedToken(issued.token(), issued.description()))
        .build();
  }

  @GET
  @Operation(
      operationId = "listTokens",
      description =
          "The live API tokens whose namespaces lie inside the caller's grant; never their secrets.",
      summary = "List the live API tokens inside the caller's namespaces (never their secrets)")
  @APIResponse(
      responseCode = "200",
      description = "The live tokens, by name",
      content = @Content(schema = @Schema(implementation = TokenList.class)))
  public TokenList list() {
    return new TokenList(tokens.list(caller.grant()));
  }

  @DELETE
  @Path("/{id}")
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(
      operationId = "revokeToken",
      description =
          "Revokes an API token: everything it authenticated stops working at once on this replica and within the token cache's lifetime on others.",
      summary = "Revoke an API token")
  @APIResponse(responseCode = "204", description = "Revoked")
  @APIResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response revoke(@PathParam("id") String id) {
    tokens.revoke(caller.grant(), parse(id));
    return Response.noContent().build();
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw io.sluice.api.SluiceException.badParameter("id", "must be a token id (UUID)");
    }
  }
}
