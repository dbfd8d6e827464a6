package io.sluice.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.job.SpecCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What changed between two specs, field by field (list elements by index). A pure function. */
public final class SpecDiff {
  private SpecDiff() {}

  /** One changed field. */
  @Schema(name = "SpecChange")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Change(
      @Schema(example = "spec.image") String path,
      @Schema(enumeration = {"added", "removed", "changed"}) String op,
      Object from,
      Object to) {}

  /** The changes between two specs of any kind (jobs, pipelines), field by field. */
  public static List<Change> between(Object from, Object to) {
    List<Change> changes = new ArrayList<>();
    walk("spec", tree(from), tree(to), changes);
    return changes;
  }

  @SuppressWarnings("unchecked")
  private static Object tree(Object spec) {
    return SpecCodec.read(SpecCodec.toJson(spec), Map.class);
  }

  private static void walk(String path, Object a, Object b, List<Change> out) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a == null && b instanceof Map<?, ?> || b == null && a instanceof Map<?, ?>) {
      walk(path, a == null ? Map.of() : a, b == null ? Map.of() : b, out);
      return;
    }
    if (a == null && b instanceof List<?> || b == null && a instanceof List<?>) {
      walk(path, a == null ? List.of() : a, b == null ? List.of() : b, out);
      return;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      TreeSet<String> keys = new TreeSet<>();
      ma.keySet().forEach(k -> keys.add(k.toString()));
      mb.keySet().forEach(k -> keys.add(k.toString()));
      for (String key : keys) {
        walk(path + "." + key, ma.get(key), mb.get(key), out);
      }
      return;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
        walk(
            path + "[" + i + "]",
            i < la.size() ? la.get(i) : null,
            i < lb.size() ? lb.get(i) : null,
            out);
      }
      return;
    }
    String op = a == null ? "added" : b == null ? "removed" : "changed";
    out.add(new Change(path, op, a, b));
  }
}
