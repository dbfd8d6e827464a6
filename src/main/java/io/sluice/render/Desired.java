package io.sluice.render;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One object the cluster should hold, and optionally which of the job's other objects owns it (the
 * owner's uid exists only once the owner is applied, so the applier fills it in).
 */
public record Desired(HasMetadata resource, Owner owner) {

  public static Desired of(HasMetadata resource) {
    return new Desired(resource, null);
  }

  public static Desired ownedBy(HasMetadata resource, HasMetadata owner) {
    return new Desired(
        resource, new Owner(owner.getApiVersion(), owner.getKind(), owner.getMetadata().getName()));
  }

  /** A reference to the owning object by kind and name. */
  public record Owner(String apiVersion, String kind, String name) {}

  public String kind() {
    return resource.getKind();
  }

  public String name() {
    return resource.getMetadata().getName();
  }
}
