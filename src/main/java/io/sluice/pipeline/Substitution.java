package io.sluice.pipeline;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${params.NAME}} in steps' args and env values. One pass over the template: a value is
 * data, so a value that itself contains {@code ${...}} is inserted as it is and never expanded. Any
 * other {@code ${...}} (a shell's, say) is left alone.
 */
public final class Substitution {
  private Substitution() {}

  /** A reference, or anything that starts like one ({@code ${params.}) so typos are caught. */
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{params\\.([^}]*)}?");

  static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

  /** The parameter names a template refers to; a malformed reference is a bad name. */
  public static Set<String> references(String template) {
    Set<String> out = new LinkedHashSet<>();
    if (template == null) {
      return out;
    }
    Matcher m = REFERENCE.matcher(template);
    while (m.find()) {
      out.add(m.group().endsWith("}") ? m.group(1) : m.group());
    }
    return out;
  }

  /** Whether {@code reference} (from {@link #references}) is a well-formed parameter name. */
  public static boolean wellFormed(String reference) {
    return NAME.matcher(reference).matches();
  }

  /** The template with every reference replaced by its value; references are checked at create. */
  public static String apply(String template, Map<String, String> values) {
    if (template == null || !template.contains("${params.")) {
      return template;
    }
    Matcher m = REFERENCE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = m.group().endsWith("}") ? values.get(m.group(1)) : null;
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
