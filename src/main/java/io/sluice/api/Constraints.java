package io.sluice.api;

import jakarta.validation.Constraint;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Checks the Jakarta Validation constraints that request records declare — the same annotations the
 * OpenAPI document reads its limits from — without Hibernate Validator, whose metadata for every
 * constrained class took half a second of each start. It knows what Sluice's requests use: NotNull,
 * NotBlank, Size, Min, Max, DecimalMin and DecimalMax on record components and on the elements of
 * their lists and the keys and values of their maps, and Valid to descend into nested records. Any
 * other constraint on a record it reaches fails loudly (an IllegalStateException when the class is
 * first described, which {@code ConstraintsTest} does for every request), so no declared limit is
 * silently skipped. Paths and messages are Bean Validation's: {@code spec.env[2].name}, {@code
 * labels[team]}, "size must be between 0 and 64".
 */
public final class Constraints {
  private Constraints() {}

  /** Every violated constraint of {@code root} and what it reaches through {@code @Valid}. */
  public static List<FieldError> check(Object root) {
    List<FieldError> errors = new ArrayList<>();
    if (root != null) {
      cascade(root, "", errors);
    }
    errors.sort(Comparator.comparing(FieldError::field));
    return errors;
  }

  /** The checks of a record type, found once per class. */
  private static final ClassValue<List<Property>> PROPERTIES =
      new ClassValue<>() {
        @Override
        protected List<Property> computeValue(Class<?> type) {
          return describe(type);
        }
      };

  /**
   * Describes {@code type} (and what it reaches): fails on a constraint this class cannot check.
   */
  static void describeAll(Class<?> type) {
    describeReachable(type, new java.util.HashSet<>());
  }

  private static void describeReachable(Class<?> type, java.util.Set<Class<?>> seen) {
    if (!type.isRecord() || !seen.add(type)) {
      return;
    }
    for (Property p : PROPERTIES.get(type)) {
      for (Class<?> reached : p.reachable()) {
        describeReachable(reached, seen);
      }
    }
  }

  private static void cascade(Object bean, String prefix, List<FieldError> errors) {
    if (!bean.getClass().isRecord()) {
      return;
    }
    for (Property p : PROPERTIES.get(bean.getClass())) {
      p.check(bean, prefix, errors);
    }
  }

  /** A record component: its accessor, its own checks, those of its elements, keys or values. */
  private record Property(
      String name,
      Method accessor,
      List<Check> own,
      boolean cascade,
      List<Check> elements,
      boolean cascadeElements,
      List<Check> keys,
      List<Class<?>> reachable) {

    void check(Object bean, String prefix, List<FieldError> errors) {
      Object value;
      try {
        value = accessor.invoke(bean);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + name + " of " + bean.getClass(), e);
      }
      String path = prefix + name;
      if (!run(own, value, path, errors) || value == null) {
        return;
      }
      boolean elementWise = cascadeElements || !elements.isEmpty() || !keys.isEmpty();
      if (elementWise && value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          element(list.get(i), path + "[" + i + "]", errors);
        }
      } else if (elementWise && value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String at = path + "[" + e.getKey() + "]";
          run(keys, e.getKey(), at, errors);
          element(e.getValue(), at, errors);
        }
      } else if (cascade && !(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)) {
        Constraints.cascade(value, path + ".", errors);
      }
    }

    private void element(Object value, String path, List<FieldError> errors) {
      if (run(elements, value, path, errors) && value != null && cascadeElements) {
        Constraints.cascade(value, path + ".", errors);
      }
    }

    /** Runs the checks; false when one failed on a null (nothing further to look at). */
    private static boolean run(
        List<Check> checks, Object value, String path, List<FieldError> out) {
      boolean ok = true;
      for (Check c : checks) {
        String problem = c.problem(value);
        if (problem != null) {
          out.add(new FieldError(path, problem));
          ok = ok && value != null;
        }
      }
      return ok;
    }
  }

  /** One constraint: the message when {@code value} breaks it, else null. */
  @FunctionalInterface
  private interface Check {
    String problem(Object value);
  }

  private static List<Property> describe(Class<?> type) {
    List<Property> properties = new ArrayList<>();
    if (!type.isRecord()) {
      return properties;
    }
    for (RecordComponent component : type.getRecordComponents()) {
      Method accessor = component.getAccessor();
      String where = type.getName() + "." + component.getName();
      List<Check> own = checks(accessor.getAnnotations(), where);
      boolean cascade = accessor.isAnnotationPresent(Valid.class);
      List<Check> elements = List.of();
      List<Check> keys = List.of();
      boolean cascadeElements = false;
      List<Class<?>> reachable = new ArrayList<>();
      AnnotatedType annotated = accessor.getAnnotatedReturnType();
      if (annotated instanceof AnnotatedParameterizedType parameterized) {
        AnnotatedType[] args = parameterized.getAnnotatedActualTypeArguments();
        AnnotatedType element = args[args.length - 1];
        elements = checks(element.getAnnotations(), where + " (element)");
        // A @Valid container cascades into its elements, as Bean Validation's legacy rule says.
        cascadeElements = cascade || element.isAnnotationPresent(Valid.class);
        if (args.length == 2) {
          keys = checks(args[0].getAnnotations(), where + " (key)");
        }
        if (cascadeElements && element.getType() instanceof Class<?> c) {
          reachable.add(c);
        }
      } else if (cascade) {
        reachable.add(component.getType());
      }
      if (own.isEmpty() && elements.isEmpty() && keys.isEmpty() && !cascade && !cascadeElements) {
        continue;
      }
      accessor.setAccessible(true);
      properties.add(
          new Property(
              component.getName(),
              accessor,
              own,
              cascade,
              elements,
              cascadeElements,
              keys,
              List.copyOf(reachable)));
    }
    return List.copyOf(properties);
  }

  private static List<Check> checks(Annotation[] annotations, String where) {
    List<Check> checks = new ArrayList<>();
    for (Annotation a : annotations) {
      Check c = check(a);
      if (c != null) {
        checks.add(c);
      } else if (a.annotationType().isAnnotationPresent(Constraint.class)) {
        throw new IllegalStateException(
            "@"
                + a.annotationType().getSimpleName()
                + " on "
                + where
                + " is not checked by "
                + Constraints.class.getName()
                + ": add it there or use a supported constraint");
      }
    }
    return List.copyOf(checks);
  }

  private static Check check(Annotation a) {
    if (a instanceof NotNull n) {
      String message = message(n.message(), "must not be null");
      return v -> v == null ? message : null;
    }
    if (a instanceof NotBlank n) {
      String message = message(n.message(), "must not be blank");
      // As Bean Validation: blank once trimmed of spaces and control characters.
      return v -> v == null || v.toString().trim().isEmpty() ? message : null;
    }
    if (a instanceof Size s) {
      String message = message(s.message(), "size must be between " + s.min() + " and " + s.max());
      return v -> {
        int size = size(v);
        return size >= 0 && (size < s.min() || size > s.max()) ? message : null;
      };
    }
    if (a instanceof Min m) {
      String message = message(m.message(), "must be greater than or equal to " + m.value());
      long bound = m.value();
      return v -> nan(v) || compare(v, bound) < 0 ? message : null;
    }
    if (a instanceof Max m) {
      String message = message(m.message(), "must be less than or equal to " + m.value());
      long bound = m.value();
      return v -> nan(v) || compare(v, bound) > 0 ? message : null;
    }
    if (a instanceof DecimalMin m) {
      return decimalBound(m.message(), "greater than", m.value(), m.inclusive(), -1);
    }
    if (a instanceof DecimalMax m) {
      return decimalBound(m.message(), "less than", m.value(), m.inclusive(), 1);
    }
    return null;
  }

  /**
   * A decimal bound: {@code outside} is the sign of a comparison with the bound that breaks it (-1
   * for a minimum, 1 for a maximum); equal breaks it too unless inclusive.
   */
  private static Check decimalBound(
      String declared, String relation, String value, boolean inclusive, int outside) {
    String message =
        message(declared, "must be " + relation + " " + (inclusive ? "or equal to " : "") + value);
    BigDecimal bound = new BigDecimal(value);
    return v -> {
      if (v == null) {
        return null;
      }
      int c = nan(v) ? outside : Integer.signum(compare(v, bound));
      return c == outside || (c == 0 && !inclusive) ? message : null;
    };
  }

  /** NaN lies in no range. */
  private static boolean nan(Object v) {
    return (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
  }

  /** The annotation's own message, or Bean Validation's default for it. */
  private static String message(String declared, String standard) {
    return declared.startsWith("{") ? standard : declared;
  }

  /** Length or size of what {@code @Size} applies to; -1 for null (valid) or another type. */
  private static int size(Object v) {
    if (v instanceof CharSequence s) {
      return s.length();
    }
    if (v instanceof Collection<?> c) {
      return c.size();
    }
    if (v instanceof Map<?, ?> m) {
      return m.size();
    }
    if (v != null && v.getClass().isArray()) {
      return java.lang.reflect.Array.getLength(v);
    }
    return -1;
  }

  /** As {@link #compare(Object, BigDecimal)}, without a BigDecimal for the common integers. */
  private static int compare(Object v, long bound) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Long.compare(((Number) v).longValue(), bound);
    }
    return compare(v, BigDecimal.valueOf(bound));
  }

  /** Compares a number with a bound; 0 for null, which Bean Validation counts as valid. */
  private static int compare(Object v, BigDecimal bound) {
    if (v == null) {
      return 0;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isInfinite(d)) {
        return d > 0 ? 1 : -1;
      }
      return BigDecimal.valueOf(d).compareTo(bound);
    }

    if (v instanceof BigDecimal b) {
      return b.compareTo(bound);
    }
    if (v instanceof BigInteger b) {
      return new BigDecimal(b).compareTo(bound);
    }
    if (v instanceof Number n) {
      return BigDecimal.valueOf(n.longValue()).compareTo(bound);
    }
    throw new IllegalStateException("a numeric constraint on " + v.getClass().getName());
  }
}
