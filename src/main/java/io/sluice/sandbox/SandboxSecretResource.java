package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.api.FieldError;
import io.sluice.api.Problem;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.job.KubernetesSyntax;
import io.sluice.job.Namespaces;
import io.sluice.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Creates and deletes Secrets in the sandbox's simulated cluster, so a job's {@code secretRefs} can
 * be satisfied on a laptop without kubectl. Its simulated kubelet refuses a pod that reads a Secret
 * that does not exist (CreateContainerConfigError), as a cluster does; this is how to make one.
 * Only in sandbox mode: on a real cluster Secrets are the cluster's business, and this answers 404.
 */
@Path("/api/v1/namespaces/{namespace}/sandbox/secrets/{secret}")
@Tag(name = "Sandbox", description = "Only in sandbox mode: the simulated cluster's Secrets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_ROLE)
public class SandboxSecretResource {
  private final SandboxRuntime sandbox;
  private final KubernetesClient client;

  public SandboxSecretResource(SandboxRuntime sandbox, KubernetesClient client) {
    this.sandbox = sandbox;
    this.client = client;
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "putSandboxSecret",
      description =
          "Creates or replaces a Secret in the sandbox's simulated cluster, for jobs' secretRefs. Sandbox mode only; 404 on a real cluster. Values are never answered.",
      summary = "Create or replace a Secret in the sandbox")
  @APIResponse(
      responseCode = "200",
      description = "The Secret, replaced",
      content = @Content(schema = @Schema(implementation = SandboxSecretResponse.class)))
  @APIResponse(
      responseCode = "201",
      description = "The Secret, created",
      content = @Content(schema = @Schema(implementation = SandboxSecretResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "Not in sandbox mode",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "422",
      description = "A bad Secret name or key",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response put(
      @PathParam("namespace") String namespace,
      @PathParam("secret") String name,
      SandboxSecretRequest request) {
    requireSandbox(namespace);
    List<FieldError> errors = new ArrayList<>();
    if (!KubernetesSyntax.isDnsSubdomain(name)) {
      errors.add(new FieldError("secret", "must be a DNS-1123 subdomain"));
    }
    if (request == null) {
      throw SluiceException.invalid("body", "a body with stringData is required");
    }
    errors.addAll(io.sluice.api.Constraints.check(request));
    if (request.stringData() == null) {
      throw SluiceException.invalid(errors);
    }
    request.stringData().keySet().stream()
        .filter(k -> !KubernetesSyntax.isConfigKey(k))
        .forEach(
            k ->
                errors.add(
                    new FieldError(
                        "stringData." + k,
                        "keys must consist of letters, digits, '-', '_' or '.'")));
    if (!errors.isEmpty()) {
      throw SluiceException.invalid(errors);
    }
    boolean existed = client.secrets().inNamespace(namespace).withName(name).get() != null;
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withStringData(request.stringData())
            .build();
    client.secrets().inNamespace(namespace).resource(secret).createOr(r -> r.update());
    var answer =
        new SandboxSecretResponse(
            namespace, name, List.copyOf(new TreeSet<>(request.stringData().keySet())));
    return Response.status(existed ? 200 : 201).entity(answer).build();
  }

  @DELETE
  @Operation(
      operationId = "deleteSandboxSecret",
      description = "Deletes a Secret of the sandbox's simulated cluster. Sandbox mode only.",
      summary = "Delete a Secret in the sandbox")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(
      responseCode = "404",
      description = "Not in sandbox mode, or no such Secret",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response delete(
      @PathParam("namespace") String namespace, @PathParam("secret") String name) {
    requireSandbox(namespace);
    if (!KubernetesSyntax.isDnsSubdomain(name)
        || client.secrets().inNamespace(namespace).withName(name).get() == null) {
      throw new SluiceException(
          Reason.NOT_FOUND, "The sandbox has no Secret '" + name + "' in " + namespace);
    }
    client.secrets().inNamespace(namespace).withName(name).delete();
    return Response.noContent().build();
  }

  private void requireSandbox(String namespace) {
    Namespaces.check(namespace);
    if (!sandbox.mode().simulatedCluster()) {
      throw new SluiceException(
          Reason.NOT_FOUND,
          "Secrets are managed here only in sandbox mode; on a cluster create them with kubectl"
              + " or your secrets tooling");
    }
  }
}
