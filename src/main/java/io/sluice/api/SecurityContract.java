package io.sluice.api;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Writes authentication into the OpenAPI contract in one place: the bearer scheme, a requirement on
 * every {@code /api} operation (but the API's open index), and their 401 and 403 problem responses.
 * Generated clients then know every call needs {@code Authorization: Bearer <token>}. Applied when
 * the contract is generated from the annotations (see {@link ContractFilters}).
 */
public class SecurityContract implements OASFilter {
  public static final String SCHEME = "bearer";

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    Components components = openAPI.getComponents();
    components.addSecurityScheme(
        SCHEME,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .description(
                "A Sluice API token (sluice_...) or a JWT from the configured issuer, whose groups"
                    + " name the role (viewer, operator, admin) and whose namespaces claim lists"
                    + " the namespaces it may use."));
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              if (isSecured(path)) {
                item.getOperations().values().forEach(SecurityContract::secure);
              } else {
                // Open on purpose, and said so: an empty requirement means "no token needed".
                item.getOperations().values().forEach(op -> op.setSecurity(new ArrayList<>()));
              }
            });
  }

  /** Every path under {@code /api} but the API's open index needs a token. */
  static boolean isSecured(String path) {
    return path.startsWith("/api/") && !path.equals(io.sluice.info.IndexResource.API_ROOT);
  }

  private static void secure(Operation operation) {
    operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME)));
    operation
        .getResponses()
        .addAPIResponse(
            "401",
            problem("No valid bearer token")
                .addHeader(
                    "WWW-Authenticate",
                    OASFactory.createHeader()
                        .description("Bearer realm=\"sluice\"")
                        .schema(
                            OASFactory.createSchema()
                                .addType(
                                    org.eclipse.microprofile.openapi.models.media.Schema.SchemaType
                                        .STRING))));
    APIResponse forbidden = operation.getResponses().getAPIResponse("403");
    if (forbidden == null || forbidden.getContent() == null) {
      // Also replaces the bodiless "Not Allowed" generated for @RolesAllowed: a 403 always
      // carries its problem document.
      operation
          .getResponses()
          .addAPIResponse("403", problem("The token's role does not allow this"));
    }
    // In status order, whichever build filter runs first.
    operation
        .getResponses()
        .setAPIResponses(new java.util.TreeMap<>(operation.getResponses().getAPIResponses()));
  }

  /** A response carrying a problem document, described in {@code description}. */
  static APIResponse problem(String description) {
    return OASFactory.createAPIResponse()
        .description(description)
        .content(
            OASFactory.createContent()
                .addMediaType(
                    Problem.MEDIA_TYPE,
                    OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))));
  }
}
