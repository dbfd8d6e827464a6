package io.sluice.policy;

import io.sluice.job.Namespaces;
import io.sluice.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Shows the rules a namespace's jobs must follow, so clients can check before they submit. */
@Path("/api/v1")
@Tag(name = "Policy", description = "What jobs in a namespace may ask for")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ROLE)
public class PolicyResource {
  private final Policies policies;

  public PolicyResource(Policies policies) {
    this.policies = policies;
  }

  @GET
  @Path("/namespaces/{namespace}/policy")
  @Operation(
      operationId = "getPolicy",
      description =
          "The rules jobs in this namespace must follow: allowed images, ServiceAccounts and Secrets, maxima, defaults and quotas.",
      summary = "The policy in force in a namespace")
  @APIResponse(
      responseCode = "200",
      description = "The namespace's rules",
      content = @Content(schema = @Schema(implementation = NamespacePolicy.class)))
  public NamespacePolicy get(@PathParam("namespace") String namespace) {
    return policies.of(Namespaces.check(namespace));
  }
}
