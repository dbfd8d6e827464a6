package io.sluice.render;

import static io.sluice.job.KubernetesSyntax.*;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.sluice.job.CronSchedule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a real API server's validation would say of rendered objects. The sandbox's API server (and
 * fabric8's test server) store anything, so an object a cluster refuses would look fine there and
 * fail for ever on a cluster; this applies the API server's published rules to what Sluice renders,
 * so tests catch a renderer that produces one, and admission refuses a spec that would. Pure.
 * Messages follow the API server's own form: {@code Kind/name: field.path: what is wrong}.
 */
public final class ApiServerRules {
  private ApiServerRules() {}

  /** The longest ConfigMap: the API server refuses more than 1 MiB of data. */
  static final int MAX_CONFIG_MAP_BYTES = 1024 * 1024;

  /** Annotations of one object together: at most 256 KiB. */
  static final int MAX_ANNOTATION_BYTES = 256 * 1024;

  /** A CronJob's name also names its Jobs with an 11-character suffix: at most 52 characters. */
  static final int MAX_CRON_JOB_NAME = 52;

  /** Every restart policy a pod may have; each workload kind allows some of them. */
  public static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");

  private static final Set<String> ACCESS_MODES =
      Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

  public static List<String> violations(List<? extends HasMetadata> objects) {
    List<String> out = new ArrayList<>();
    for (HasMetadata o : objects) {
      List<String> mine = new ArrayList<>();
      check(o, mine);
      String prefix =
          o.getKind() + "/" + (o.getMetadata() == null ? "?" : o.getMetadata().getName()) + ": ";
      mine.forEach(m -> out.add(prefix + m));
    }
    return out;
  }

  /** The rules for one pod template (what admission checks on every create). */
  public static List<String> podTemplate(
      String path, PodTemplateSpec template, Set<String> restart) {
    return podTemplate(path, template, restart, Set.of());
  }

  /**
   * The rules for a pod template whose controller adds volumes of its own: a StatefulSet's claim
   * templates, which its containers mount by name.
   */
  public static List<String> podTemplate(
      String path, PodTemplateSpec template, Set<String> restart, Set<String> claimTemplates) {
    List<String> out = new ArrayList<>();
    meta(path + ".metadata", template.getMetadata(), false, out);
    PodSpecRules.check(path + ".spec", template.getSpec(), restart, claimTemplates, out);
    return out;
  }

  private static void check(HasMetadata o, List<String> out) {
    boolean dns1035 = o instanceof Service;
    meta("metadata", o.getMetadata(), true, out);
    if (dns1035 && o.getMetadata() != null && !isDns1035Label(o.getMetadata().getName(), 63)) {
      out.add(
          "metadata.name: Invalid value: \""
              + o.getMetadata().getName()
              + "\": a DNS-1035 label must start with a letter");
    }
    if (o instanceof Deployment d) {
      nonNegative("spec.replicas", d.getSpec().getReplicas(), out);
      selector("spec", d.getSpec().getSelector(), d.getSpec().getTemplate(), out);
      out.addAll(podTemplate("spec.template", d.getSpec().getTemplate(), Set.of("Always")));
      Integer deadline = d.getSpec().getProgressDeadlineSeconds();
      int minReady =
          d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
      if (deadline != null && deadline <= minReady) {
        out.add(
            "spec.progressDeadlineSeconds: Invalid value: must be greater than minReadySeconds");
      }
    } else if (o instanceof StatefulSet s) {
      nonNegative("spec.replicas", s.getSpec().getReplicas(), out);
      selector("spec", s.getSpec().getSelector(), s.getSpec().getTemplate(), out);
      Set<String> templates = new HashSet<>();
      PodSpecRules.nz(s.getSpec().getVolumeClaimTemplates())
          .forEach(c -> templates.add(c.getMetadata().getName()));
      out.addAll(
          podTemplate("spec.template", s.getSpec().getTemplate(), Set.of("Always"), templates));
      // Pods are named <set>-<ordinal> and labelled with <set>-<10-char hash>.
      if (o.getMetadata().getName().length() > 52) {
        out.add("metadata.name: Invalid value: must be no more than 52 characters");
      }
      List<PersistentVolumeClaim> claims = PodSpecRules.nz(s.getSpec().getVolumeClaimTemplates());
      for (int i = 0; i < claims.size(); i++) {
        String at = "spec.volumeClaimTemplates[" + i + "]";
        if (!isDnsLabel(claims.get(i).getMetadata().getName(), 63)) {
          out.add(at + ".metadata.name: Invalid value: must be a DNS-1123 label");
        }
        claim(at + ".spec", claims.get(i).getSpec(), out);
      }
    } else if (o instanceof Job j) {
      job("spec", j.getSpec(), out);
    } else if (o instanceof CronJob c) {
      if (o.getMetadata().getName().length() > MAX_CRON_JOB_NAME) {
        out.add(
            "metadata.name: Invalid value: must be no more than "
                + MAX_CRON_JOB_NAME
                + " characters");
      }
      CronSchedule.problem(c.getSpec().getSchedule())
          .ifPresent(
              p ->
                  out.add(
                      "spec.schedule: Invalid value: \"" + c.getSpec().getSchedule() + "\": " + p));
      String zone = c.getSpec().getTimeZone();
      if (zone != null && !isTimeZone(zone)) {
        out.add("spec.timeZone: Invalid value: \"" + zone + "\": unknown time zone");
      }
      if (c.getSpec().getStartingDeadlineSeconds() != null
          && c.getSpec().getStartingDeadlineSeconds() < 0) {
        out.add("spec.startingDeadlineSeconds: Invalid value: must be greater than or equal to 0");
      }
      String policy = c.getSpec().getConcurrencyPolicy();
      if (policy != null && !Set.of("Allow", "Forbid", "Replace").contains(policy)) {
        out.add("spec.concurrencyPolicy: Unsupported value: \"" + policy + "\"");
      }
      meta("spec.jobTemplate.metadata", c.getSpec().getJobTemplate().getMetadata(), false, out);
      job("spec.jobTemplate.spec", c.getSpec().getJobTemplate().getSpec(), out);
    } else if (o instanceof Service svc) {
      service(svc, out);
    } else if (o instanceof ConfigMap cm) {
      configMap(cm, out);
    } else if (o instanceof PersistentVolumeClaim pvc) {
      claim("spec", pvc.getSpec(), out);
    } else if (!EnginePods.of(o).isEmpty()) {
      // Spark names the driver's Service after the application: it must be a DNS-1035 label.
      if (!isDns1035Label(o.getMetadata().getName(), 63)) {
        out.add(
            "metadata.name: Invalid value: \""
                + o.getMetadata().getName()
                + "\": must be a DNS-1035 label of at most 63 characters (it names the pods'"
                + " Services)");
      }
      for (EnginePods.Role role : EnginePods.of(o)) {
        out.addAll(
            podTemplate("spec." + role.name(), role.template(), Set.of(role.restartPolicy())));
      }
    } else if (o instanceof HorizontalPodAutoscaler h) {
      Integer min = h.getSpec().getMinReplicas();
      if (min != null && min < 1) {
        out.add("spec.minReplicas: Invalid value: must be greater than or equal to 1");
      }
      if (h.getSpec().getMaxReplicas() == null
          || h.getSpec().getMaxReplicas() < (min == null ? 1 : min)) {
        out.add("spec.maxReplicas: Invalid value: must be greater than or equal to minReplicas");
      }
      if (h.getSpec().getScaleTargetRef() == null
          || h.getSpec().getScaleTargetRef().getName() == null) {
        out.add("spec.scaleTargetRef.name: Required value");
      }
    }
  }

  private static void meta(String at, ObjectMeta meta, boolean named, List<String> out) {
    if (meta == null) {
      if (named) {
        out.add(at + ": Required value");
      }
      return;
    }
    if (named) {
      if (!isDnsSubdomain(meta.getName())) {
        out.add(
            at + ".name: Invalid value: \"" + meta.getName() + "\": must be a DNS-1123 subdomain");
      }
      if (meta.getNamespace() != null && !isDnsLabel(meta.getNamespace(), 63)) {
        out.add(at + ".namespace: Invalid value: must be a DNS-1123 label");
      }
    }
    PodSpecRules.labels(at + ".labels", meta.getLabels(), out);
    if (meta.getAnnotations() != null) {
      long bytes = 0;
      for (Map.Entry<String, String> e : meta.getAnnotations().entrySet()) {
        if (!isQualifiedName(e.getKey())) {
          out.add(at + ".annotations: Invalid value: \"" + e.getKey() + "\": not a qualified name");
        }
        bytes += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
      }
      if (bytes > MAX_ANNOTATION_BYTES) {
        out.add(
            at + ".annotations: Too long: must have at most " + MAX_ANNOTATION_BYTES + " bytes");
      }
    }
  }

  private static void job(String at, JobSpec spec, List<String> out) {
    nonNegative(at + ".parallelism", spec.getParallelism(), out);
    nonNegative(at + ".completions", spec.getCompletions(), out);
    nonNegative(at + ".backoffLimit", spec.getBackoffLimit(), out);
    nonNegative(at + ".ttlSecondsAfterFinished", spec.getTtlSecondsAfterFinished(), out);
    if (spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() <= 0) {
      out.add(at + ".activeDeadlineSeconds: Invalid value: must be greater than 0");
    }
    if (spec.getTemplate() == null) {
      out.add(at + ".template: Required value");
      return;
    }
    out.addAll(podTemplate(at + ".template", spec.getTemplate(), Set.of("Never", "OnFailure")));
  }

  private static void selector(
      String at, LabelSelector selector, PodTemplateSpec template, List<String> out) {
    if (selector == null
        || selector.getMatchLabels() == null
        || selector.getMatchLabels().isEmpty()) {
      out.add(at + ".selector: Required value");
      return;
    }
    Map<String, String> labels =
        template == null || template.getMetadata() == null
            ? Map.of()
            : template.getMetadata().getLabels();
    for (var e : selector.getMatchLabels().entrySet()) {
      if (labels == null || !e.getValue().equals(labels.get(e.getKey()))) {
        out.add(
            at
                + ".template.metadata.labels: Invalid value: `selector` does not match template `labels`");
        return;
      }
    }
  }

  private static void service(Service svc, List<String> out) {
    List<ServicePort> ports = PodSpecRules.nz(svc.getSpec().getPorts());
    if (ports.isEmpty() && !"None".equals(svc.getSpec().getClusterIP())) {
      out.add("spec.ports: Required value");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      String at = "spec.ports[" + i + "]";
      if (!PodSpecRules.validPort(p.getPort())) {
        out.add(
            at
                + ".port: Invalid value: "
                + p.getPort()
                + ": must be between 1 and 65535, inclusive");
      }
      if (ports.size() > 1 && (p.getName() == null || p.getName().isEmpty())) {
        out.add(at + ".name: Required value");
      } else if (p.getName() != null && !p.getName().isEmpty()) {
        if (!isDnsLabel(p.getName(), 63)) {
          out.add(at + ".name: Invalid value: must be a DNS-1123 label");
        } else if (!names.add(p.getName())) {
          out.add(at + ".name: Duplicate value: \"" + p.getName() + "\"");
        }
      }
      if (p.getTargetPort() != null
          && p.getTargetPort().getIntVal() != null
          && !PodSpecRules.validPort(p.getTargetPort().getIntVal())) {
        out.add(at + ".targetPort: Invalid value: must be between 1 and 65535, inclusive");
      }
    }
    PodSpecRules.labels("spec.selector", svc.getSpec().getSelector(), out);
  }

  private static void configMap(ConfigMap cm, List<String> out) {
    long bytes = 0;
    if (cm.getData() != null) {
      for (var e : cm.getData().entrySet()) {
        if (!isConfigKey(e.getKey())) {
          out.add(
              "data["
                  + e.getKey()
                  + "]: Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.', and must not start with '..'");
        }
        bytes +=
            e.getKey().length()
                + (e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length);
      }
    }
    if (bytes > MAX_CONFIG_MAP_BYTES) {
      out.add("data: Too long: must have at most " + MAX_CONFIG_MAP_BYTES + " bytes");
    }
  }

  private static void claim(String at, PersistentVolumeClaimSpec spec, List<String> out) {
    if (spec == null) {
      out.add(at + ": Required value");
      return;
    }
    List<String> modes = PodSpecRules.nz(spec.getAccessModes());
    if (modes.isEmpty()) {
      out.add(at + ".accessModes: Required value: at least 1 access mode is required");
    }
    modes.stream()
        .filter(m -> !ACCESS_MODES.contains(m))
        .forEach(m -> out.add(at + ".accessModes: Unsupported value: \"" + m + "\""));
    var storage =
        spec.getResources() == null || spec.getResources().getRequests() == null
            ? null
            : spec.getResources().getRequests().get("storage");
    if (storage == null) {
      out.add(at + ".resources[storage]: Required value");
    } else if (!isQuantity(storage.toString()) || amount(storage.toString()).signum() <= 0) {
      out.add(at + ".resources[storage]: Invalid value: must be greater than zero");
    }
    if (spec.getStorageClassName() != null && !isDnsSubdomain(spec.getStorageClassName())) {
      out.add(at + ".storageClassName: Invalid value: must be a DNS-1123 subdomain");
    }
  }

  private static void nonNegative(String at, Integer value, List<String> out) {
    if (value != null && value < 0) {
      out.add(at + ": Invalid value: " + value + ": must be greater than or equal to 0");
    }
  }
}
