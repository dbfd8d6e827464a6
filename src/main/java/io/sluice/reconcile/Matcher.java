package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.job.KubernetesSyntax;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Decides whether an object in the cluster already is what Sluice wants: every field Sluice sets
 * must have that value; fields the API server or controllers add (defaults, status, clusterIP) are
 * ignored. Lists must match element by element, so an extra container or volume added by hand is
 * drift too.
 */
public final class Matcher {
  private Matcher() {}

  private static final List<String> COMPARED = List.of("spec", "data", "metadata");

  public static boolean matches(HasMetadata desired, HasMetadata actual) {
    Map<String, Object> want = toMap(desired);
    Map<String, Object> have = toMap(actual);
    for (String field : COMPARED) {
      Object w = field.equals("metadata") ? metadata(want) : want.get(field);
      Object h = field.equals("metadata") ? metadata(have) : have.get(field);
      if (!subset(w, h)) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toMap(HasMetadata o) {
    return Serialization.jsonMapper().convertValue(o, Map.class);
  }

  /** Only labels, annotations and owner references of the metadata are Sluice's to compare. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    Map<String, Object> meta = (Map<String, Object>) object.getOrDefault("metadata", Map.of());
    java.util.Map<String, Object> kept = new java.util.HashMap<>();
    for (String key : List.of("labels", "annotations", "ownerReferences")) {
      if (meta.get(key) != null) {
        kept.put(key, meta.get(key));
      }
    }
    return kept;
  }

  @SuppressWarnings("unchecked")
  static boolean subset(Object want, Object have) {
    if (isEmpty(want)) {
      return true;
    }
    if (want instanceof Map<?, ?> w) {
      if (!(have instanceof Map<?, ?> h)) {
        return false;
      }
      for (Map.Entry<?, ?> e : w.entrySet()) {
        if (!subset(e.getValue(), h.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof List<?> w) {
      if (!(have instanceof List<?> h) || h.size() != w.size()) {
        return false;
      }
      for (int i = 0; i < w.size(); i++) {
        if (!subset(w.get(i), h.get(i))) {
          return false;
        }
      }
      return true;
    }
    return scalarEquals(want, have);
  }

  private static boolean scalarEquals(Object want, Object have) {
    if (have == null) {
      return false;
    }
    if (want instanceof Number w && have instanceof Number h) {
      return new BigDecimal(w.toString()).compareTo(new BigDecimal(h.toString())) == 0;
    }
    String w = want.toString();
    String h = have.toString();
    if (w.equals(h)) {
      return true;
    }
    // The API server canonicalises quantities ("1000m" comes back as "1").
    if (KubernetesSyntax.isQuantity(w) && KubernetesSyntax.isQuantity(h)) {
      return KubernetesSyntax.amount(w).compareTo(KubernetesSyntax.amount(h)) == 0;
    }
    return false;
  }

  private static boolean isEmpty(Object o) {
    return o == null
        || (o instanceof Collection<?> c && c.isEmpty())
        || (o instanceof Map<?, ?> m && m.isEmpty());
  }
}
