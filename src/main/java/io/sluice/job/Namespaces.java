package io.sluice.job;

import io.sluice.api.SluiceException;

/** The namespace in a request path must be a name Kubernetes would accept. */
public final class Namespaces {
  private Namespaces() {}

  public static String check(String namespace) {
    if (!KubernetesSyntax.isDnsLabel(namespace, 63)) {
      throw SluiceException.badParameter(
          "namespace", "must be a DNS-1123 label of at most 63 characters");
    }
    return namespace;
  }
}
