package io.sluice.job;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The container image reference grammar registries and kubelets use (the distribution project's
 * {@code reference} grammar): {@code [host[:port]/]path[:tag][@algorithm:hex]}, where every path
 * component is lowercase alphanumerics joined by {@code .}, {@code _}, {@code __} or dashes. An
 * image outside it fails on a cluster as {@code InvalidImageName} after it was stored and applied;
 * here it is refused at the door. Path components such as {@code ..} are outside it too, so an
 * image cannot walk out of an allowed registry prefix.
 */
public final class ImageReference {
  private ImageReference() {}

  static final int MAX_NAME = 255;
  static final int MAX_TAG = 128;

  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern HOST =
      Pattern.compile(
          "(?:"
              + DOMAIN_COMPONENT
              + "(?:\\."
              + DOMAIN_COMPONENT
              + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}");
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  /** Why {@code image} is not a valid reference, or empty when it is one. */
  public static Optional<String> problem(String image) {
    if (image == null || image.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (!image.equals(image.strip())) {
      return Optional.of("must not start or end with whitespace");
    }
    String rest = image;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        return Optional.of("digest '" + digest + "' must be algorithm:hex, e.g. sha256:<64 hex>");
      }
      if (digest.startsWith("sha256:") && !SHA256.matcher(digest).matches()) {
        return Optional.of("a sha256 digest has exactly 64 lowercase hex digits");
      }
    }
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    String name = rest;
    if (colon > slash) {
      String tag = rest.substring(colon + 1);
      name = rest.substring(0, colon);
      if (tag.length() > MAX_TAG) {
        return Optional.of("tag must be at most " + MAX_TAG + " characters");
      }
      if (!TAG.matcher(tag).matches()) {
        return Optional.of(
            "tag '"
                + tag
                + "' must start with a letter, digit or '_' and contain only those, '.' and '-'");
      }
    }
    if (name.isEmpty()) {
      return Optional.of("must name an image before its tag or digest");
    }
    if (name.length() > MAX_NAME) {
      return Optional.of("image name must be at most " + MAX_NAME + " characters");
    }
    String[] parts = name.split("/", -1);
    int first = 0;
    if (parts.length > 1 && isHost(parts[0])) {
      if (!HOST.matcher(parts[0]).matches()) {
        return Optional.of("registry host '" + parts[0] + "' is not a host name[:port]");
      }
      first = 1;
    }
    for (int i = first; i < parts.length; i++) {
      if (!PATH_COMPONENT.matcher(parts[i]).matches()) {
        return Optional.of(
            "path component '"
                + parts[i]
                + "' must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
      }
    }
    return Optional.empty();
  }

  /** Docker's rule: the first component names a registry when it looks like a host. */
  private static boolean isHost(String component) {
    return component.contains(".")
        || component.contains(":")
        || component.equals("localhost")
        || !component.equals(component.toLowerCase(java.util.Locale.ROOT));
  }
}
