package io.sluice.support;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fields a Kubernetes model object does not know: fabric8 keeps them apart, in
 * additionalProperties, instead of failing. For tests that hold manifests and rendered objects to
 * the Kubernetes API.
 */
public final class UnknownFields {
  private UnknownFields() {}

  /** Walks the typed object; fields the model does not know end up in additionalProperties. */
  public static void of(Object o, String path, List<String> out, Set<Object> seen) {
    if (o == null
        || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")
        || !seen.add(o)) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (!m.getName().startsWith("get")
          || m.getParameterCount() != 0
          || m.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + " " + extra.keySet());
        }
      } else if (value instanceof Collection<?> c) {
        c.forEach(v -> of(v, path + "." + m.getName().substring(3), out, seen));
      } else if (value instanceof Map<?, ?> map) {
        map.values().forEach(v -> of(v, path + "." + m.getName().substring(3), out, seen));
      } else {
        of(value, path + "." + m.getName().substring(3), out, seen);
      }
    }
  }
}
