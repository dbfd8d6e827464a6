package io.sluice.sandbox;

import java.util.List;

/**
 * The one node of the simulated cluster and what its kubelet assumes about images, so that the
 * sandbox refuses what a real node would: pods asking for more than it has stay Pending
 * (Unschedulable), claims of a storage class it does not have never bind, and an image not listed
 * as non-root is taken to run as root (the kubelet then refuses it under {@code runAsNonRoot}
 * unless the pod names a user).
 *
 * @param cpu allocatable CPU, a Kubernetes quantity
 * @param memory allocatable memory, a Kubernetes quantity
 * @param storageClasses storage classes claims can bind to; the first is the default
 * @param nonRootImages image prefixes whose image USER is not root
 */
public record SandboxNode(
    String cpu, String memory, List<String> storageClasses, List<String> nonRootImages) {

  public static final String NAME = "sandbox-node-1";

  /** A node as the sandbox starts one by default. */
  public static SandboxNode defaults() {
    return new SandboxNode("8", "16Gi", List.of("standard"), List.of());
  }

  /** True when the image's own USER is not root, as far as the sandbox is told. */
  public boolean nonRootImage(String image) {
    String normalised = image.contains("/") ? image : "docker.io/library/" + image;
    return nonRootImages.stream().anyMatch(p -> image.startsWith(p) || normalised.startsWith(p));
  }
}
