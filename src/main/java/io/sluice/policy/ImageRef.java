package io.sluice.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Image references as a registry sees them: {@code busybox} is {@code docker.io/library/busybox},
 * so an allow-list of prefixes cannot be dodged by spelling an image differently.
 */
final class ImageRef {
  private static final Pattern DIGEST = Pattern.compile(".*@sha256:[a-f0-9]{64}$");

  private ImageRef() {}

  static String normalise(String image) {
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    boolean hasRegistry =
        slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (hasRegistry) {
      return image;
    }
    return slash < 0 ? "docker.io/library/" + image : "docker.io/" + image;
  }

  static boolean pinned(String image) {
    return DIGEST.matcher(image).matches();
  }

  /**
   * True when the image starts with an allowed prefix at a path boundary: {@code ghcr.io/acme}
   * allows {@code ghcr.io/acme/x} but not {@code ghcr.io/acme-evil/x}.
   */
  static boolean allowed(String image, List<String> prefixes) {
    String ref = normalise(image);
    for (String prefix : prefixes) {
      if (prefix.equals("*")) {
        return true;
      }
      if (ref.startsWith(prefix)) {
        if (ref.length() == prefix.length()
            || prefix.endsWith("/")
            || "/:@".indexOf(ref.charAt(prefix.length())) >= 0) {
          return true;
        }
      }
    }
    return false;
  }
}
