package io.sluice.security;

import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every route under {@code /namespaces/{namespace}} is checked here, once, against the caller's
 * namespaces, so no endpoint (present or future) can forget to. Runs after authentication and role
 * checks, before the endpoint and before any Idempotency-Key replay.
 */
public class NamespaceAccessFilter {
  private final Caller caller;

  public NamespaceAccessFilter(Caller caller) {
    this.caller = caller;
  }

  @ServerRequestFilter
  public void check(UriInfo uri) {
    String namespace = uri.getPathParameters().getFirst("namespace");
    if (namespace != null) {
      caller.requireVisible(namespace);
    }
  }
}
