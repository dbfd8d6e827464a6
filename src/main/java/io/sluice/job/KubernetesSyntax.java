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

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern TIME_ZONE =
      Pattern.compile("[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*)*");
  private static final Pattern QUANTITY =
      Pattern.compile(
          "(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");

  public static boolean isDnsLabel(String s, int max) {
    return s != null && s.length() <= max && DNS_LABEL.matcher(s).matches();
  }

  public static boolean isDnsSubdomain(String s) {
    return s != null && s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
  }

  /**
   * A label or annotation key: optional DNS-subdomain prefix, a slash, and a name of at most 63.
   */
  public static boolean isQualifiedName(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0 && !isDnsSubdomain(key.substring(0, slash))) {
      return false;
    }
    return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  public static boolean isLabelValue(String value) {
    return value != null
        && value.length() <= 63
        && (value.isEmpty() || LABEL_NAME.matcher(value).matches());
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
        && PORT_NAME.matcher(s).matches()
        && !s.contains("--")
        && s.chars().anyMatch(Character::isLetter);
  }

  /** A non-negative Kubernetes quantity such as {@code 500m}, {@code 1.5Gi} or {@code 2e3}. */
  public static boolean isQuantity(String s) {
    return s != null && s.length() <= 32 && QUANTITY.matcher(s).matches();
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
