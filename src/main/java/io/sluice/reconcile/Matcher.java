package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
 * drift too. Containers' environment, arguments and command are compared through their digest
 * ({@link ContainerDigest}), the form in which the caches keep them.
 */
public final class Matcher {
  private Matcher() {}

  public static boolean matches(HasMetadata desired, HasMetadata actual) {
    return subset(content(desired), content(actual)) && subset(metadata(desired), metadata(actual));
  }

  /**
   * What Sluice sets besides metadata — the spec, or a ConfigMap's data — as plain maps and lists.
   * Only that part is converted: an object in the cluster also carries status and managed fields,
   * often larger than the spec.
   */
  private static Object content(HasMetadata o) {
    Object part = spec(o);
    if (part == null || part instanceof Map<?, ?> || part instanceof List<?>) {
      return part;
    }
    Object converted = Serialization.jsonMapper().convertValue(part, Object.class);
    // The caches hold containers' environment, arguments and command as a digest: compare both
    // sides in that form.
    ContainerDigest.reduceSpecMap(o, converted);
    return converted;
  }

  /** The spec as the model holds it (a ConfigMap's data); equal when the desired state is. */
  static Object spec(HasMetadata o) {
    if (o instanceof Deployment d) {
      return d.getSpec();
    } else if (o instanceof StatefulSet s) {
      return s.getSpec();
    } else if (o instanceof Service s) {
      return s.getSpec();
    } else if (o instanceof HorizontalPodAutoscaler h) {
      return h.getSpec();
    } else if (o instanceof CronJob c) {
      return c.getSpec();
    } else if (o instanceof Job j) {
      return j.getSpec();
    } else if (o instanceof ConfigMap c) {
      return c.getData();
    } else if (o instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> c) {
      return c.getSpec();
    }
    Map<?, ?> whole = Serialization.jsonMapper().convertValue(o, Map.class);
    return java.util.Arrays.asList(whole.get("spec"), whole.get("data"));
  }

  /** Only labels, annotations and owner references of the metadata are Sluice's to compare. */
  private static Map<String, Object> metadata(HasMetadata o) {
    ObjectMeta meta = o.getMetadata();
    Map<String, Object> kept = new java.util.HashMap<>();
    if (meta == null) {
      return kept;
    }
    kept.put("labels", meta.getLabels());
    kept.put("annotations", meta.getAnnotations());
    if (meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty()) {
      kept.put(
          "ownerReferences",
          Serialization.jsonMapper().convertValue(meta.getOwnerReferences(), List.class));
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
