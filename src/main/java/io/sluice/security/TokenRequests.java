package io.sluice.security;

import io.sluice.api.FieldError;
import io.sluice.api.SluiceException;
import io.sluice.job.KubernetesSyntax;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Checks a token request before anything is stored; every problem is reported at once. */
final class TokenRequests {
  private static final int MAX_NAMESPACES = 256;
  private static final OffsetDateTime LATEST_EXPIRY = OffsetDateTime.parse("9999-12-31T23:59:59Z");

  private TokenRequests() {}

  static void validate(CreateTokenRequest request) {
    if (request == null) {
      throw SluiceException.invalid("body", "a token request is required");
    }
    List<FieldError> errors = new ArrayList<>();
    if (request.name() == null || !KubernetesSyntax.isDnsLabel(request.name(), 63)) {
      errors.add(new FieldError("name", "must be a DNS-1123 label of at most 63 characters"));
    }
    if (Role.parse(request.role()).isEmpty()) {
      errors.add(new FieldError("role", "must be viewer, operator or admin"));
    }
    List<String> namespaces = request.namespaces();
    if (namespaces == null || namespaces.isEmpty() || namespaces.size() > MAX_NAMESPACES) {
      errors.add(
          new FieldError(
              "namespaces", "must list 1 to " + MAX_NAMESPACES + " namespaces, or [\"*\"]"));
    } else {
      for (int i = 0; i < namespaces.size(); i++) {
        String ns = namespaces.get(i);
        if (ns == null
            || !(ns.equals(Grant.ALL_NAMESPACES) || KubernetesSyntax.isDnsLabel(ns, 63))) {
          errors.add(new FieldError("namespaces[" + i + "]", "must be a namespace name or \"*\""));
        }
      }
    }
    if (request.expiresAt() != null && !request.expiresAt().isAfter(OffsetDateTime.now())) {
      errors.add(new FieldError("expiresAt", "must be in the future"));
    } else if (request.expiresAt() != null && request.expiresAt().isAfter(LATEST_EXPIRY)) {
      errors.add(new FieldError("expiresAt", "must be before the year 10000"));
    }
    if (!errors.isEmpty()) {
      throw SluiceException.invalid(errors);
    }
  }
}
