package io.sluice.job;

import static io.sluice.job.KubernetesSyntax.*;

import io.sluice.api.Constraints;
import io.sluice.api.FieldError;
import io.sluice.api.SluiceException;
import io.sluice.job.JobSpec.ResourceList;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a job request against Bean Validation constraints and against the rules Kubernetes and
 * Sluice add (names, quantities, cron, reserved labels, workload-specific fields). Reports every
 * problem at once, each with the path of the offending field.
 */
@ApplicationScoped
public class JobSpecValidator {
  /** Where config entries are mounted in every container; user volumes may not shadow it. */
  public static final String CONFIG_MOUNT_PATH = "/etc/sluice/config";

  static final List<String> RESERVED_PREFIXES =
      List.of("sluice.io/", "app.kubernetes.io/", "kubernetes.io/", "k8s.io/");

  /** Labels the Job, Deployment and StatefulSet controllers put on their pods themselves. */
  static final Set<String> CONTROLLER_LABELS =
      Set.of("controller-uid", "job-name", "pod-template-hash", "controller-revision-hash");

  private static final int MAX_CONFIG_BYTES = 512 * 1024;
  private static final int MAX_ANNOTATION_BYTES = 128 * 1024;

  private final io.sluice.policy.Admission admission;

  public JobSpecValidator(io.sluice.policy.Admission admission) {
    this.admission = admission;
  }

  /** The spec to store (policy defaults filled in), or a 400/422 naming every problem. */
  public JobSpec validateCreate(String namespace, CreateJobRequest request) {
    Errors errors = new Errors();
    if (request == null) {
      throw SluiceException.invalid("body", "a job definition is required");
    }
    errors.addAll(Constraints.check(request));
    if (request.name() != null && !isDns1035Label(request.name(), MAX_JOB_NAME)) {
      errors.add(
          "name",
          "must be a DNS-1035 label of at most "
              + MAX_JOB_NAME
              + " characters: lowercase letters, digits and '-', starting with a letter and ending"
              + " with a letter or digit (it names the job's Service, which Kubernetes requires to"
              + " start with a letter)");
    }
    if (request.namespace() != null && !request.namespace().equals(namespace)) {
      errors.add("namespace", "must match the namespace in the path ('" + namespace + "')");
    }
    Workload workload = null;
    if (request.type() != null && request.spec() != null) {
      workload = request.workload() != null ? request.workload() : request.type().defaultWorkload();
      checkSpec(workload, request.spec(), errors);
      EngineSpecChecks.check(workload, request.type(), request.spec(), errors);
    }
    errors.throwIfAny();
    return admission.admit(namespace, request.name(), request.type(), workload, request.spec());
  }

  /** The spec to store (policy defaults filled in), or a 400/422 naming every problem. */
  public JobSpec validateUpdate(JobEntity job, UpdateJobRequest request) {
    if (request == null) {
      throw SluiceException.invalid("body", "a job spec is required");
    }
    Errors errors = new Errors();
    errors.addAll(Constraints.check(request));
    if (request.spec() != null) {
      checkSpec(job.workload, request.spec(), errors);
      EngineSpecChecks.check(job.workload, job.type, request.spec(), errors);
      boolean service =
          !request.spec().portsOrEmpty().isEmpty() || job.workload == Workload.STATEFUL;
      if (service && !isDns1035Label(job.name, MAX_JOB_NAME)) {
        // A job created before names had to start with a letter cannot gain a Service.
        errors.add(
            "spec.ports",
            "job '"
                + job.name
                + "' cannot have a Service: Service names must start with a letter; create the job"
                + " again under such a name");
      }
    }
    errors.throwIfAny();
    return admission.admit(job.namespace, job.name, job.type, job.workload, request.spec());
  }

  private void checkSpec(Workload workload, JobSpec spec, Errors errors) {
    if (spec.image() != null && !spec.image().isBlank()) {
      ImageReference.problem(spec.image())
          .ifPresent(p -> errors.add("spec.image", "is not a valid image reference: " + p));
    }
    checkEnv(spec, errors);
    checkConfig(spec, errors);
    checkSecretRefs(spec, errors);
    checkResources(spec.resources(), errors);
    checkVolumes(spec, errors);
    checkPorts(spec, errors);
    checkWorkloadFields(workload, spec, errors);
    checkMetadata("spec.labels", spec.labelsOrEmpty(), true, errors);
    checkMetadata("spec.annotations", spec.annotationsOrEmpty(), false, errors);
    checkMetadata("spec.nodeSelector", spec.nodeSelectorOrEmpty(), true, errors);
    checkTolerations(spec, errors);
    if (spec.serviceAccountName() != null && !isDnsSubdomain(spec.serviceAccountName())) {
      errors.add("spec.serviceAccountName", "must be a DNS-1123 subdomain");
    }
  }

  private void checkEnv(JobSpec spec, Errors errors) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < spec.envOrEmpty().size(); i++) {
      JobSpec.EnvVar env = spec.envOrEmpty().get(i);
      if (env == null || env.name() == null) {
        continue;
      }
      String path = "spec.env[" + i + "].name";
      if (!isEnvName(env.name())) {
        errors.add(
            path, "must consist of letters, digits, '_', '-' or '.', not starting with a digit");
      } else if (env.name().startsWith("SLUICE_")) {
        errors.add(path, "the SLUICE_ prefix is reserved for variables Sluice sets");
      } else if (!seen.add(env.name())) {
        errors.add(path, "duplicate variable '" + env.name() + "'");
      }
    }
  }

  private void checkConfig(JobSpec spec, Errors errors) {
    long bytes = 0;
    for (Map.Entry<String, String> entry : spec.configOrEmpty().entrySet()) {
      String path = "spec.config." + entry.getKey();
      if (entry.getKey().startsWith("..")) {
        // The kubelet keeps a ConfigMap volume's own bookkeeping (..data, ..2025_01_...) there.
        errors.add(path, "keys must not start with '..' (the kubelet reserves those names)");
      } else if (!isConfigKey(entry.getKey())) {
        errors.add(path, "keys must consist of letters, digits, '-', '_' or '.'");
      } else if (Boolean.TRUE.equals(spec.configAsEnv()) && !isEnvName(entry.getKey())) {
        errors.add(path, "with configAsEnv, keys must also be valid environment variable names");
      }
      bytes += entry.getKey().length();
      bytes +=
          entry.getValue() == null ? 0 : entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_CONFIG_BYTES) {
      errors.add("spec.config", "must total at most " + MAX_CONFIG_BYTES + " bytes");
    }
  }

  private void checkSecretRefs(JobSpec spec, Errors errors) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < spec.secretRefsOrEmpty().size(); i++) {
      String ref = spec.secretRefsOrEmpty().get(i);
      if (ref == null) {
        continue;
      }
      if (!isDnsSubdomain(ref)) {
        errors.add(
            "spec.secretRefs[" + i + "]", "must be the name of a Secret (DNS-1123 subdomain)");
      } else if (!seen.add(ref)) {
        errors.add("spec.secretRefs[" + i + "]", "duplicate Secret '" + ref + "'");
      }
    }
  }

  private void checkResources(JobSpec.Resources resources, Errors errors) {
    if (resources == null) {
      return;
    }
    checkQuantities("spec.resources.requests", resources.requests(), errors);
    checkQuantities("spec.resources.limits", resources.limits(), errors);
    ResourceList req = resources.requests();
    ResourceList lim = resources.limits();
    if (req != null && lim != null) {
      if (exceeds(req.cpu(), lim.cpu())) {
        errors.add("spec.resources.requests.cpu", "must not exceed limits.cpu (" + lim.cpu() + ")");
      }
      if (exceeds(req.memory(), lim.memory())) {
        errors.add(
            "spec.resources.requests.memory",
            "must not exceed limits.memory (" + lim.memory() + ")");
      }
    }
  }

  private void checkQuantities(String path, ResourceList list, Errors errors) {
    if (list == null) {
      return;
    }
    if (list.cpu() != null && !isQuantity(list.cpu())) {
      errors.add(path + ".cpu", "is not a Kubernetes quantity (e.g. 500m, 2)");
    }
    if (list.memory() != null && !isQuantity(list.memory())) {
      errors.add(path + ".memory", "is not a Kubernetes quantity (e.g. 512Mi, 2Gi)");
    }
  }

  private static boolean exceeds(String request, String limit) {
    if (!isQuantity(request) || !isQuantity(limit)) {
      return false;
    }
    return amount(request).compareTo(amount(limit)) > 0;
  }

  private void checkVolumes(JobSpec spec, Errors errors) {
    Set<String> names = new HashSet<>();
    Set<String> mounts = new HashSet<>();
    for (int i = 0; i < spec.volumesOrEmpty().size(); i++) {
      JobSpec.VolumeSpec volume = spec.volumesOrEmpty().get(i);
      String path = "spec.volumes[" + i + "]";
      if (volume.name() != null) {
        if (!isDnsLabel(volume.name(), 40)) {
          errors.add(path + ".name", "must be a DNS-1123 label of at most 40 characters");
        } else if (volume.name().equals(io.sluice.render.ConfigMaps.VOLUME)) {
          errors.add(
              path + ".name",
              "'" + volume.name() + "' is the volume Sluice adds for config; choose another name");
        } else if (!names.add(volume.name())) {
          errors.add(path + ".name", "duplicate volume '" + volume.name() + "'");
        }
      }
      if (volume.size() != null && !volume.size().isBlank()) {
        if (!isQuantity(volume.size())) {
          errors.add(path + ".size", "is not a Kubernetes quantity (e.g. 10Gi)");
        } else if (amount(volume.size()).signum() <= 0) {
          errors.add(path + ".size", "must be greater than zero");
        }
      }
      if (volume.storageClass() != null && !isDnsSubdomain(volume.storageClass())) {
        errors.add(path + ".storageClass", "must be a DNS-1123 subdomain");
      }
      checkMountPath(path + ".mountPath", volume.mountPath(), mounts, errors);
    }
  }

  private static void checkMountPath(
      String path, String mountPath, Set<String> seen, Errors errors) {
    if (mountPath == null || mountPath.isBlank()) {
      return;
    }
    String clean = cleanPath(mountPath);
    if (!mountPath.startsWith("/") || mountPath.contains(":")) {
      errors.add(path, "must be an absolute path without ':'");
    } else if (List.of(mountPath.split("/")).contains("..")) {
      errors.add(path, "must not contain '..'");
    } else if (clean.equals("/")) {
      errors.add(path, "must not be '/': it would hide the image's whole file system");
    } else if (SYSTEM_PATHS.stream().anyMatch(p -> overlaps(clean, p))) {
      errors.add(
          path,
          "must not be or contain one of "
              + SYSTEM_PATHS
              + ", which the container runtime provides");
    } else if (overlaps(clean, CONFIG_MOUNT_PATH)) {
      errors.add(path, "must not overlap " + CONFIG_MOUNT_PATH + ", where config is mounted");
    } else if (!seen.add(clean)) {
      errors.add(path, "duplicate mount path '" + clean + "' (paths are compared cleaned)");
    }
  }

  /** File systems the container runtime mounts itself; a volume there breaks the container. */
  static final List<String> SYSTEM_PATHS = List.of("/proc", "/sys", "/dev");

  private static boolean overlaps(String a, String b) {
    String x = a.endsWith("/") ? a : a + "/";
    String y = b.endsWith("/") ? b : b + "/";
    return x.startsWith(y) || y.startsWith(x);
  }

  private void checkPorts(JobSpec spec, Errors errors) {
    Set<String> names = new HashSet<>();
    Set<String> numbers = new HashSet<>();
    for (int i = 0; i < spec.portsOrEmpty().size(); i++) {
      JobSpec.PortSpec port = spec.portsOrEmpty().get(i);
      String path = "spec.ports[" + i + "]";
      if (port.name() != null) {
        if (!isPortName(port.name())) {
          errors.add(
              path + ".name",
              "must be an IANA service name: at most 15 lowercase letters, digits and '-', with a letter");
        } else if (!names.add(port.name())) {
          errors.add(path + ".name", "duplicate port name '" + port.name() + "'");
        }
      }
      if (port.containerPort() != null
          && !numbers.add(port.containerPort() + "/" + port.protocolOrDefault())) {
        errors.add(path + ".containerPort", "duplicate port " + port.containerPort());
      }
    }
  }

  private void checkWorkloadFields(Workload workload, JobSpec spec, Errors errors) {
    if (workload.isEngine()) {
      // EngineSpecChecks says which fields an engine takes.
      checkProbes(spec, errors);
      if (spec.rollout() != null
          && Boolean.TRUE.equals(spec.rollout().autoRollback())
          && spec.rollout().progressDeadlineSeconds() == null) {
        errors.add("spec.rollout.progressDeadlineSeconds", "is required with autoRollback");
      }
      if (spec.schedule() != null) {
        errors.add("spec.schedule", "only scheduled workloads take a schedule");
      }
      if (spec.scheduling() != null) {
        errors.add("spec.scheduling", "only scheduled workloads take scheduling options");
      }
      return;
    }
    if (spec.replicas() != null) {
      if (!workload.isLongRunning()) {
        errors.add(
            "spec.replicas",
            "only service and stateful workloads have replicas; use batch.parallelism");
      }
    }
    if (spec.batch() != null) {
      if (!workload.isBatch()) {
        errors.add("spec.batch", "only batch and scheduled workloads take batch options");
      }
    }
    if (workload == Workload.SCHEDULED) {
      if (spec.schedule() == null || spec.schedule().isBlank()) {
        errors.add("spec.schedule", "is required for scheduled workloads");
      } else {
        CronSchedule.problem(spec.schedule())
            .or(() -> CronSchedule.neverFires(spec.schedule()))
            .ifPresent(p -> errors.add("spec.schedule", p));
      }
    } else if (spec.schedule() != null) {
      errors.add("spec.schedule", "only scheduled workloads take a schedule");
    }
    if (spec.scheduling() != null && workload != Workload.SCHEDULED) {
      errors.add("spec.scheduling", "only scheduled workloads take scheduling options");
    }
    if (spec.scheduling() != null
        && spec.scheduling().timeZone() != null
        && !isTimeZone(spec.scheduling().timeZone())) {
      errors.add(
          "spec.scheduling.timeZone",
          "must be an IANA time zone name such as 'Europe/Paris' or 'UTC' ('Local' is not"
              + " allowed)");
    }
    checkProbes(spec, errors);
    checkScaling(workload, spec, errors);
  }

  private void checkScaling(Workload workload, JobSpec spec, Errors errors) {
    if (spec.autoscaling() != null) {
      JobSpec.Autoscaling a = spec.autoscaling();
      if (!workload.isLongRunning()) {
        errors.add("spec.autoscaling", "only service and stateful workloads can autoscale");
      } else if (a.minReplicas() != null && a.maxReplicas() != null) {
        if (a.minReplicas() > a.maxReplicas()) {
          errors.add("spec.autoscaling.minReplicas", "must not exceed maxReplicas");
        }
      }
      if (spec.replicas() != null) {
        errors.add(
            "spec.replicas",
            "cannot be set together with autoscaling; the autoscaler owns the count");
      }
    }
    if (spec.rollout() != null) {
      if (!workload.isLongRunning()) {
        errors.add("spec.rollout", "only service and stateful workloads roll out");
      } else if (Boolean.TRUE.equals(spec.rollout().autoRollback())
          && spec.rollout().progressDeadlineSeconds() == null) {
        errors.add("spec.rollout.progressDeadlineSeconds", "is required with autoRollback");
      }
    }
  }

  private static void checkProbes(JobSpec spec, Errors errors) {
    if (spec.probes() == null) {
      return;
    }
    checkProbe("spec.probes.liveness", spec.probes().liveness(), errors);
    checkProbe("spec.probes.readiness", spec.probes().readiness(), errors);
    checkProbe("spec.probes.startup", spec.probes().startup(), errors);
  }

  private static void checkProbe(String path, JobSpec.Probe probe, Errors errors) {
    if (probe == null) {
      return;
    }
    long actions =
        java.util.stream.Stream.of(probe.httpGet(), probe.tcpSocket(), probe.exec())
            .filter(java.util.Objects::nonNull)
            .count();
    if (actions != 1) {
      errors.add(path, "must have exactly one of httpGet, tcpSocket or exec");
    }
    if (probe.httpGet() != null
        && probe.httpGet().path() != null
        && !probe.httpGet().path().startsWith("/")) {
      errors.add(path + ".httpGet.path", "must start with '/'");
    }
  }

  /** Label keys and values as Kubernetes takes them, outside the reserved prefixes. */
  public static void checkLabels(String path, Map<String, String> labels, Errors errors) {
    checkMetadata(path, labels, true, errors);
  }

  private static void checkMetadata(
      String path, Map<String, String> entries, boolean labelValues, Errors errors) {
    long bytes = 0;
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      String key = entry.getKey();
      String field = path + "." + key;
      if (!isQualifiedName(key)) {
        errors.add(
            field,
            "is not a valid key: an optional DNS prefix and '/', then a name of at most 63 characters");
      } else if (RESERVED_PREFIXES.stream()
          .anyMatch(p -> key.startsWith(p) || key.contains("." + p))) {
        errors.add(field, "keys under " + RESERVED_PREFIXES + " are reserved");
      } else if (path.equals("spec.labels") && CONTROLLER_LABELS.contains(key)) {
        errors.add(
            field, "'" + key + "' is set by Kubernetes' controllers on the pods they create");
      }
      if (labelValues && !isLabelValue(entry.getValue())) {
        errors.add(
            field,
            "value must be at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric");
      }
      bytes += key.length() + (entry.getValue() == null ? 0 : entry.getValue().length());
    }
    if (!labelValues && bytes > MAX_ANNOTATION_BYTES) {
      errors.add(path, "must total at most " + MAX_ANNOTATION_BYTES + " bytes");
    }
  }

  private void checkTolerations(JobSpec spec, Errors errors) {
    for (int i = 0; i < spec.tolerationsOrEmpty().size(); i++) {
      JobSpec.Toleration t = spec.tolerationsOrEmpty().get(i);
      String path = "spec.tolerations[" + i + "]";
      if (t.key() != null && !t.key().isEmpty() && !isQualifiedName(t.key())) {
        errors.add(path + ".key", "is not a valid label key");
      }
      if (t.operator() == JobSpec.TolerationOperator.Exists
          && t.value() != null
          && !t.value().isEmpty()) {
        errors.add(path + ".value", "must be empty when operator is Exists");
      }
      if ((t.key() == null || t.key().isEmpty())
          && t.operator() != JobSpec.TolerationOperator.Exists) {
        errors.add(path + ".operator", "must be Exists when key is empty");
      }
      if (t.value() != null && !isLabelValue(t.value())) {
        errors.add(path + ".value", "is not a valid label value");
      }
      if (t.tolerationSeconds() != null && t.effect() != JobSpec.TaintEffect.NoExecute) {
        errors.add(path + ".tolerationSeconds", "only applies to the NoExecute effect");
      }
    }
  }

  /** Collects field errors in a stable order. */
  public static final class Errors {
    private final List<FieldError> list = new ArrayList<>();

    public void add(String field, String message) {
      list.add(new FieldError(field, message));
    }

    /** The violated constraints of a request ({@link Constraints#check}), in their order. */
    public void addAll(List<FieldError> violations) {
      list.addAll(violations);
    }

    public boolean isEmpty() {
      return list.isEmpty();
    }

    public void throwIfAny() {
      if (!list.isEmpty()) {
        throw SluiceException.invalid(list);
      }
    }
  }
}
