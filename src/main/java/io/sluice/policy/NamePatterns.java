package io.sluice.policy;

import java.util.List;

/** Allow-lists of names: exact names, prefixes ending in {@code *}, or {@code *} for any. */
final class NamePatterns {
  private NamePatterns() {}

  static boolean allowed(String name, List<String> patterns) {
    for (String pattern : patterns) {
      if (pattern.equals("*")
          || pattern.equals(name)
          || (pattern.endsWith("*")
              && name.startsWith(pattern.substring(0, pattern.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}
