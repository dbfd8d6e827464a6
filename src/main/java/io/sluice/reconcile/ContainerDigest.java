package io.sluice.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * Stands a container's environment, arguments and command in for one digest: those are where a
 * job's spec puts most of its bytes, and keeping them in every cached workload would make the
 * caches as large as everything jobs store. The informer caches keep the digest instead (as a
 * single environment variable under a name Kubernetes refuses for real variables, so it can never
 * be confused with one), and {@link Matcher} compares desired and actual objects in the same
 * reduced form, which is exact: Sluice renders only names and values there, which the API server
 * stores as sent.
 */
final class ContainerDigest {
  /** Not a valid environment variable name (Kubernetes allows no '/'), so never a real one. */
  static final String MARKER = "sluice.io/container-digest";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ContainerDigest() {}

  /** Reduces the pod template of a cached workload in place; other kinds are left as they are. */
  static void reduce(HasMetadata workload) {
    PodTemplateSpec template = template(workload);
    if (template != null && template.getSpec() != null) {
      reduceAll(template.getSpec().getContainers());
      reduceAll(template.getSpec().getInitContainers());
    }
  }

  private static void reduceAll(List<Container> containers) {
    if (containers == null) {
      return;
    }
    for (Container c : containers) {
      if (isReduced(c.getEnv(), c.getArgs(), c.getCommand())) {
        continue;
      }
      ArrayNode env = JSON.arrayNode();
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          env.add(
              variable(
                  e.getName(),
                  e.getValue(),
                  e.getValueFrom() == null
                      ? null
                      : Serialization.jsonMapper().valueToTree(e.getValueFrom())));
        }
      }
      String digest = digest(env, strings(c.getArgs()), strings(c.getCommand()));
      c.setEnv(new java.util.ArrayList<>(List.of(new EnvVar(MARKER, digest, null))));
      c.setArgs(null);
      c.setCommand(null);
    }
  }

  /**
   * The same reduction on a workload's spec as plain maps (what {@link Matcher} compares), for
   * desired objects and for actual ones alike; already reduced containers are kept.
   */
  @SuppressWarnings("unchecked")
  static void reduceSpecMap(HasMetadata kind, Object specMap) {
    List<String> path = templatePath(kind);
    if (path == null) {
      return;
    }
    Object template = specMap;
    for (String key : path) {
      if (!(template instanceof Map<?, ?> m)) {
        return;
      }
      template = m.get(key);
    }
    if (template instanceof Map<?, ?> t && t.get("spec") instanceof Map<?, ?> pod) {
      reduceAllMaps((Map<String, Object>) pod, "containers");
      reduceAllMaps((Map<String, Object>) pod, "initContainers");
    }
  }

  @SuppressWarnings("unchecked")
  private static void reduceAllMaps(Map<String, Object> pod, String field) {
    if (!(pod.get(field) instanceof List<?> containers)) {
      return;
    }
    for (Object o : containers) {
      if (!(o instanceof Map<?, ?>)) {
        continue;
      }
      Map<String, Object> c = (Map<String, Object>) o;
      if (isReducedMap(c)) {
        continue;
      }
      ArrayNode env = JSON.arrayNode();
      if (c.get("env") instanceof List<?> vars) {
        for (Object v : vars) {
          Map<String, Object> var = (Map<String, Object>) v;
          Object from = var.get("valueFrom");
          env.add(
              variable(
                  (String) var.get("name"),
                  (String) var.get("value"),
                  from == null ? null : Serialization.jsonMapper().valueToTree(from)));
        }
      }
      String digest =
          digest(
              env, strings((List<String>) c.get("args")), strings((List<String>) c.get("command")));
      c.put("env", List.of(Map.of("name", MARKER, "value", digest)));
      c.remove("args");
      c.remove("command");
    }
  }

  private static boolean isReduced(List<EnvVar> env, List<String> args, List<String> command) {
    return env != null
        && env.size() == 1
        && MARKER.equals(env.get(0).getName())
        && (args == null || args.isEmpty())
        && (command == null || command.isEmpty());
  }

  private static boolean isReducedMap(Map<String, Object> c) {
    return c.get("env") instanceof List<?> env
        && env.size() == 1
        && env.get(0) instanceof Map<?, ?> v
        && MARKER.equals(v.get("name"))
        && !(c.get("args") instanceof List<?> a && !a.isEmpty())
        && !(c.get("command") instanceof List<?> k && !k.isEmpty());
  }

  /** One variable; an empty value and no value are the same (the API server drops empty ones). */
  private static ObjectNode variable(String name, String value, JsonNode valueFrom) {
    ObjectNode var = JSON.objectNode();
    var.put("name", name);
    var.put("value", value == null ? "" : value);
    if (valueFrom != null) {
      var.set("valueFrom", valueFrom);
    }
    return var;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = JSON.arrayNode();
    if (values != null) {
      values.forEach(array::add);
    }
    return array;
  }

  private static String digest(ArrayNode env, ArrayNode args, ArrayNode command) {
    ObjectNode all = JSON.objectNode();
    all.set("env", env);
    all.set("args", args);
    all.set("command", command);
    return io.sluice.api.Sha256.hex(all.toString());
  }

  private static PodTemplateSpec template(HasMetadata o) {
    if (o instanceof Deployment d && d.getSpec() != null) {
      return d.getSpec().getTemplate();
    } else if (o instanceof StatefulSet s && s.getSpec() != null) {
      return s.getSpec().getTemplate();
    } else if (o instanceof Job j && j.getSpec() != null) {
      return j.getSpec().getTemplate();
    } else if (o instanceof CronJob c
        && c.getSpec() != null
        && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      return c.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return null;
  }

  /** Where the pod template sits in a kind's spec; null for kinds without one. */
  private static List<String> templatePath(HasMetadata o) {
    if (o instanceof CronJob) {
      return List.of("jobTemplate", "spec", "template");
    }
    if (o instanceof Deployment || o instanceof StatefulSet || o instanceof Job) {
      return List.of("template");
    }
    return null;
  }
}
