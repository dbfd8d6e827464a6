package io.sluice.job;

import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector ({@code team=data,tier!=gold,env in (prod,staging),!legacy}), parsed
 * into SQL over the jobs' {@code labels} jsonb column. Values are always bound as parameters, never
 * spliced into SQL.
 */
public final class LabelSelector {
  private static final int MAX_REQUIREMENTS = 20;
  private static final Pattern SET =
      Pattern.compile("\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*");
  private static final Pattern EQUALITY =
      Pattern.compile("\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*");
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*([^\\s!=(),]+)\\s*");

  private final List<String> clauses;
  private final List<Object> values;

  private LabelSelector(List<String> clauses, List<Object> values) {
    this.clauses = clauses;
    this.values = values;
  }

  /** SQL conditions with JDBC's {@code ?} placeholders, each to be ANDed to the query. */
  public List<String> clauses() {
    return clauses;
  }

  /** The values of the clauses' placeholders, in order. */
  public List<Object> values() {
    return values;
  }

  public static LabelSelector parse(String selector) {
    List<String> clauses = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return new LabelSelector(clauses, params);
    }
    List<String> requirements = split(selector);
    if (requirements.size() > MAX_REQUIREMENTS) {
      throw bad("has more than " + MAX_REQUIREMENTS + " requirements");
    }
    for (String requirement : requirements) {
      clauses.add(toSql(requirement, params));
    }
    return new LabelSelector(clauses, params);
  }

  private static String toSql(String requirement, List<Object> params) {
    Matcher m = SET.matcher(requirement);
    if (m.matches()) {
      String key = key(m.group(1));
      List<String> alternatives = new ArrayList<>();
      for (String value : m.group(3).split(",")) {
        alternatives.add(contains(key, value(value.trim()), params));
      }
      String any = "(" + String.join(" OR ", alternatives) + ")";
      return m.group(2).equals("in") ? any : "NOT " + any;
    }
    m = EQUALITY.matcher(requirement);
    if (m.matches()) {
      String clause = contains(key(m.group(1)), value(m.group(3)), params);
      return m.group(2).equals("!=") ? "NOT " + clause : clause;
    }
    m = EXISTS.matcher(requirement);
    if (m.matches()) {
      params.add(key(m.group(2)));
      String clause = "jsonb_exists(labels, ?)";
      return m.group(1).isEmpty() ? clause : "NOT " + clause;
    }
    throw bad("cannot parse '" + requirement.trim() + "'");
  }

  private static String contains(String key, String value, List<Object> params) {
    String json = "{" + jsonString(key) + ":" + jsonString(value) + "}";
    params.add(json);
    return "labels @> cast(? as jsonb)";
  }

  private static String key(String key) {
    if (!KubernetesSyntax.isQualifiedName(key)) {
      throw bad("'" + key + "' is not a valid label key");
    }
    return key;
  }

  private static String value(String value) {
    if (!KubernetesSyntax.isLabelValue(value)) {
      throw bad("'" + value + "' is not a valid label value");
    }
    return value;
  }

  /** Label keys and values can't contain quotes or backslashes, so this escaping is complete. */
  private static String jsonString(String s) {
    return "\"" + s + "\"";
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> split(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    if (depth != 0) {
      throw bad("has unbalanced parentheses");
    }
    return parts;
  }

  private static SluiceException bad(String message) {
    return SluiceException.badParameter("labelSelector", message);
  }
}
