package io.sluice.job;

import java.util.regex.Pattern;

/**
 * Kubernetes' own syntax rules for names, labels and quantities, checked here so that a request the
 * cluster would refuse is refused at the API with a field-level message instead.
 */
public final class KubernetesSyntax {
  private KubernetesSyntax() {}

  /** Longest job name: leaves room for the suffixes of derived object names (run numbers etc.). */
  public static final int MAX_JOB_NAME = 40;

  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern TIME_ZONE =
      Pattern.compile("[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*)*");

  // Names, label keys and quantities are checked on every create, several times over: as loops
  // over the characters rather than regular expressions (KubernetesSyntaxTest holds each to the
  // expression Kubernetes states it with).

  /** A DNS-1123 label, {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, of at most {@code max}. */
  public static boolean isDnsLabel(String s, int max) {
    return s != null && s.length() <= max && dnsLabel(s, 0, s.length());
  }

  /** A DNS-1123 subdomain: DNS labels joined by dots, at most 253 characters. */
  public static boolean isDnsSubdomain(String s) {
    if (s == null || s.length() > 253) {
      return false;
    }
    int from = 0;
    for (int dot = s.indexOf('.'); dot >= 0; dot = s.indexOf('.', from)) {
      if (!dnsLabel(s, from, dot)) {
        return false;
      }
      from = dot + 1;
    }
    return dnsLabel(s, from, s.length());
  }

  private static boolean dnsLabel(String s, int from, int to) {
    if (from >= to || !lowerAlnum(s.charAt(from)) || !lowerAlnum(s.charAt(to - 1))) {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (!lowerAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** A label name or value, {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]} (no length limit). */
  private static boolean labelName(String s, int from) {
    int to = s.length();
    if (from >= to || !alnum(s.charAt(from)) || !alnum(s.charAt(to - 1))) {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (!alnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean lowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || digit(c);
  }

  private static boolean alnum(char c) {
    return lowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * A label or annotation key: optional DNS-subdomain prefix, a slash, and a name of at most 63.
   */
  public static boolean isQualifiedName(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    int slash = key.indexOf('/');
    if (slash >= 0 && !isDnsSubdomain(key.substring(0, slash))) {
      return false;
    }
    return key.length() - (slash + 1) <= 63 && labelName(key, slash + 1);
  }

  public static boolean isLabelValue(String value) {
    return value != null && value.length() <= 63 && (value.isEmpty() || labelName(value, 0));
  }

  public static boolean isEnvName(String s) {
    return s != null && ENV_NAME.matcher(s).matches();
  }

  /**
   * What a run's or a pipeline step's env may set: a valid name outside Sluice's SLUICE_ prefix.
   */
  public static boolean isUserEnvName(String s) {
    return isEnvName(s) && !s.startsWith("SLUICE_");
  }

  /** The message when {@link #isUserEnvName} refuses a name. */
  public static final String USER_ENV_NAME_RULE =
      "must be a valid variable name outside the SLUICE_ prefix";

  /**
   * A ConfigMap or Secret key as the API server takes it: letters, digits, '-', '_' and '.', not
   * {@code .}, and not starting with {@code ..} (the kubelet's own names in a mounted volume).
   */
  public static boolean isConfigKey(String s) {
    return s != null
        && s.length() <= 253
        && CONFIG_KEY.matcher(s).matches()
        && !s.equals(".")
        && !s.startsWith("..");
  }

  /** A path as the kubelet compares mount paths: no empty, trailing or {@code .} segments. */
  public static String cleanPath(String path) {
    StringBuilder s = new StringBuilder();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        s.append('/').append(part);
      }
    }
    return s.length() == 0 ? "/" : s.toString();
  }

  /** IANA service name, as Kubernetes requires for port names. */
  public static boolean isPortName(String s) {
    return s != null
        && s.length() <= 15
        && dnsLabel(s, 0, s.length())
        && !s.contains("--")
        && s.chars().anyMatch(Character::isLetter);
  }

  /**
   * A non-negative Kubernetes quantity such as {@code 500m}, {@code 1.5Gi} or {@code 2e3}: {@code
   * (\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?}, at most 32.
   */
  public static boolean isQuantity(String s) {
    if (s == null || s.length() > 32) {
      return false;
    }
    int n = s.length();
    int i = digits(s, 0);
    boolean whole = i > 0;
    if (i < n && s.charAt(i) == '.') {
      int fraction = digits(s, i + 1);
      if (!whole && fraction == i + 1) {
        return false;
      }
      i = fraction;
    } else if (!whole) {
      return false;
    }
    return i == n || QUANTITY_SUFFIXES.contains(s.substring(i)) || exponent(s, i);
  }

  private static final java.util.Set<String> QUANTITY_SUFFIXES =
      java.util.Set.of(
          "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E");

  /** Where the digits starting at {@code from} end. */
  private static int digits(String s, int from) {
    int i = from;
    while (i < s.length() && digit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** {@code [eE][+-]?\d+} from {@code from} to the end. */
  private static boolean exponent(String s, int from) {
    int i = from;
    if (s.charAt(i) != 'e' && s.charAt(i) != 'E') {
      return false;
    }
    i++;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int end = digits(s, i);
    return end > i && end == s.length();
  }

  /**
   * The value of a valid quantity, in its base unit (bytes, cores), for comparing two. Admission
   * asks for the same few quantities ({@code 500m}, {@code 1Gi}) on every create, and fabric8
   * parses each through {@code BigDecimal} arithmetic, so values are kept: at most {@link
   * #AMOUNTS_KEPT} of them, forgotten all at once when full (a hostile stream of distinct
   * quantities costs a re-parse, never memory).
   */
  public static java.math.BigDecimal amount(String quantity) {
    java.math.BigDecimal kept = quantity == null ? null : AMOUNTS.get(quantity);
    if (kept != null) {
      return kept;
    }
    java.math.BigDecimal value =
        io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
            new io.fabric8.kubernetes.api.model.Quantity(quantity));
    if (quantity != null && value != null) {
      if (AMOUNTS.size() >= AMOUNTS_KEPT) {
        AMOUNTS.clear();
      }
      AMOUNTS.put(quantity, value);
    }
    return value;
  }

  static final int AMOUNTS_KEPT = 1024;
  private static final java.util.Map<String, java.math.BigDecimal> AMOUNTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static boolean isImage(String s) {
    return ImageReference.problem(s).isEmpty();
  }

  /** A DNS-1035 label, as Service names need: a DNS-1123 label that starts with a letter. */
  public static boolean isDns1035Label(String s, int max) {
    return isDnsLabel(s, max) && Character.isLetter(s.charAt(0));
  }

  /**
   * An IANA time zone name as a CronJob's {@code timeZone} takes it ({@code Europe/Paris}, {@code
   * UTC}); {@code Local}, relative paths and names unknown to the tz database are not.
   */
  public static boolean isTimeZone(String s) {
    return s != null
        && TIME_ZONE.matcher(s).matches()
        && !s.equals("Local")
        && java.time.ZoneId.getAvailableZoneIds().contains(s);
  }
}
