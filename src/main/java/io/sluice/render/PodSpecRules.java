package io.sluice.render;

import static io.sluice.job.KubernetesSyntax.*;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The API server's validation of a pod spec (Kubernetes' {@code ValidatePodSpec}), for the fields
 * Sluice renders: the checks fabric8's typed model does not make, such as port ranges, name syntax,
 * unique names and paths, mounts of volumes that exist, requests within limits. Pure; {@link
 * ApiServerRules} calls it for every pod template.
 */
final class PodSpecRules {
  private PodSpecRules() {}

  private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
  private static final Set<String> OPERATORS = Set.of("Exists", "Equal");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final long MAX_ID = 2147483647L;

  static void check(
      String path,
      PodSpec pod,
      Set<String> restartPolicies,
      Set<String> controllerVolumes,
      List<String> out) {
    if (pod == null) {
      out.add(path + ": Required value");
      return;
    }
    if (pod.getRestartPolicy() != null && !restartPolicies.contains(pod.getRestartPolicy())) {
      out.add(
          path
              + ".restartPolicy: Unsupported value: \""
              + pod.getRestartPolicy()
              + "\": supported values: "
              + restartPolicies);
    }
    Set<String> volumes = volumes(path, nz(pod.getVolumes()), out);
    for (String added : controllerVolumes) {
      if (!volumes.add(added)) {
        out.add(path + ".volumes: Duplicate value: \"" + added + "\" (a claim template's name)");
      }
    }
    List<Container> containers = nz(pod.getContainers());
    if (containers.isEmpty()) {
      out.add(path + ".containers: Required value");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String at = path + ".containers[" + i + "]";
      if (!isDnsLabel(c.getName(), 63)) {
        out.add(at + ".name: Invalid value: must be a DNS-1123 label");
      } else if (!names.add(c.getName())) {
        out.add(at + ".name: Duplicate value: \"" + c.getName() + "\"");
      }
      container(at, c, volumes, out);
    }
    securityContext(path + ".securityContext", pod.getSecurityContext(), out);
    if (pod.getServiceAccountName() != null && !isDnsSubdomain(pod.getServiceAccountName())) {
      out.add(path + ".serviceAccountName: Invalid value: must be a DNS-1123 subdomain");
    }
    labels(path + ".nodeSelector", pod.getNodeSelector(), out);
    List<Toleration> tolerations = nz(pod.getTolerations());
    for (int i = 0; i < tolerations.size(); i++) {
      toleration(path + ".tolerations[" + i + "]", tolerations.get(i), out);
    }
  }

  private static Set<String> volumes(String path, List<Volume> volumes, List<String> out) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      String at = path + ".volumes[" + i + "]";
      if (!isDnsLabel(v.getName(), 63)) {
        out.add(at + ".name: Invalid value: must be a DNS-1123 label");
      } else if (!names.add(v.getName())) {
        out.add(at + ".name: Duplicate value: \"" + v.getName() + "\"");
      }
      long sources =
          Stream.of(v.getConfigMap(), v.getSecret(), v.getPersistentVolumeClaim(), v.getEmptyDir())
              .filter(java.util.Objects::nonNull)
              .count();
      if (sources != 1) {
        out.add(at + ": Invalid value: must specify exactly one volume source");
      }
      if (v.getConfigMap() != null) {
        if (!isDnsSubdomain(v.getConfigMap().getName())) {
          out.add(at + ".configMap.name: Invalid value: must be a DNS-1123 subdomain");
        }
        Integer mode = v.getConfigMap().getDefaultMode();
        if (mode != null && (mode < 0 || mode > 0777)) {
          out.add(at + ".configMap.defaultMode: Invalid value: must be between 0 and 0777");
        }
      }
      if (v.getPersistentVolumeClaim() != null
          && !isDnsSubdomain(v.getPersistentVolumeClaim().getClaimName())) {
        out.add(
            at + ".persistentVolumeClaim.claimName: Invalid value: must be a DNS-1123 subdomain");
      }
    }
    return names;
  }

  private static void container(String at, Container c, Set<String> volumes, List<String> out) {
    if (c.getImage() == null || c.getImage().isBlank()) {
      out.add(at + ".image: Required value");
    } else if (!c.getImage().equals(c.getImage().strip())) {
      out.add(at + ".image: Invalid value: must not have leading or trailing whitespace");
    }
    ports(at, nz(c.getPorts()), out);
    List<EnvVar> env = nz(c.getEnv());
    for (int i = 0; i < env.size(); i++) {
      if (!isEnvName(env.get(i).getName())) {
        out.add(at + ".env[" + i + "].name: Invalid value: \"" + env.get(i).getName() + "\"");
      }
    }
    List<EnvFromSource> from = nz(c.getEnvFrom());
    for (int i = 0; i < from.size(); i++) {
      EnvFromSource f = from.get(i);
      String name =
          f.getConfigMapRef() != null
              ? f.getConfigMapRef().getName()
              : f.getSecretRef() != null ? f.getSecretRef().getName() : null;
      if (!isDnsSubdomain(name)) {
        out.add(at + ".envFrom[" + i + "]: Invalid value: must name a ConfigMap or Secret");
      }
    }
    Set<String> paths = new HashSet<>();
    List<VolumeMount> mounts = nz(c.getVolumeMounts());
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      String mat = at + ".volumeMounts[" + i + "]";
      if (!volumes.contains(m.getName())) {
        out.add(mat + ".name: Not found: \"" + m.getName() + "\"");
      }
      if (m.getMountPath() == null || m.getMountPath().isEmpty()) {
        out.add(mat + ".mountPath: Required value");
      } else if (!paths.add(cleanPath(m.getMountPath()))) {
        out.add(mat + ".mountPath: Invalid value: \"" + m.getMountPath() + "\": must be unique");
      }
    }
    if (c.getResources() != null) {
      resources(
          at + ".resources", c.getResources().getRequests(), c.getResources().getLimits(), out);
    }
    probe(at + ".livenessProbe", c.getLivenessProbe(), out);
    probe(at + ".readinessProbe", c.getReadinessProbe(), out);
    probe(at + ".startupProbe", c.getStartupProbe(), out);
    if (c.getSecurityContext() != null) {
      id(at + ".securityContext.runAsUser", c.getSecurityContext().getRunAsUser(), out);
      id(at + ".securityContext.runAsGroup", c.getSecurityContext().getRunAsGroup(), out);
    }
  }

  private static void ports(String at, List<ContainerPort> ports, List<String> out) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ContainerPort p = ports.get(i);
      String pat = at + ".ports[" + i + "]";
      if (!validPort(p.getContainerPort())) {
        out.add(
            pat
                + ".containerPort: Invalid value: "
                + p.getContainerPort()
                + ": must be between 1 and 65535, inclusive");
      }
      if (p.getName() != null && !p.getName().isEmpty()) {
        if (!isPortName(p.getName())) {
          out.add(pat + ".name: Invalid value: \"" + p.getName() + "\": must be an IANA_SVC_NAME");
        } else if (!names.add(p.getName())) {
          out.add(pat + ".name: Duplicate value: \"" + p.getName() + "\"");
        }
      }
      if (p.getProtocol() != null && !PROTOCOLS.contains(p.getProtocol())) {
        out.add(pat + ".protocol: Unsupported value: \"" + p.getProtocol() + "\"");
      }
    }
  }

  static boolean validPort(Integer port) {
    return port != null && port >= 1 && port <= 65535;
  }

  private static void resources(
      String at, Map<String, Quantity> requests, Map<String, Quantity> limits, List<String> out) {
    quantities(at + ".requests", requests, out);
    quantities(at + ".limits", limits, out);
    if (requests == null || limits == null) {
      return;
    }
    for (var e : requests.entrySet()) {
      Quantity limit = limits.get(e.getKey());
      if (limit != null
          && isQuantity(e.getValue().toString())
          && isQuantity(limit.toString())
          && amount(e.getValue().toString()).compareTo(amount(limit.toString())) > 0) {
        out.add(
            at
                + ".requests["
                + e.getKey()
                + "]: Invalid value: \""
                + e.getValue()
                + "\": must be less than or equal to "
                + e.getKey()
                + " limit of "
                + limit);
      }
    }
  }

  private static void quantities(String at, Map<String, Quantity> values, List<String> out) {
    if (values == null) {
      return;
    }
    values.forEach(
        (name, q) -> {
          if (q == null || !isQuantity(q.toString())) {
            out.add(at + "[" + name + "]: Invalid value: \"" + q + "\": must be a quantity");
          }
        });
  }

  private static void probe(String at, Probe p, List<String> out) {
    if (p == null) {
      return;
    }
    long handlers =
        Stream.of(p.getHttpGet(), p.getTcpSocket(), p.getExec(), p.getGrpc())
            .filter(java.util.Objects::nonNull)
            .count();
    if (handlers != 1) {
      out.add(at + ": Invalid value: must specify exactly one handler type");
    }
    if (p.getHttpGet() != null && p.getHttpGet().getPort() != null) {
      Integer port = p.getHttpGet().getPort().getIntVal();
      if (port != null && !validPort(port)) {
        out.add(
            at
                + ".httpGet.port: Invalid value: "
                + port
                + ": must be between 1 and 65535, inclusive");
      }
    }
    if (p.getTcpSocket() != null && p.getTcpSocket().getPort() != null) {
      Integer port = p.getTcpSocket().getPort().getIntVal();
      if (port != null && !validPort(port)) {
        out.add(
            at
                + ".tcpSocket.port: Invalid value: "
                + port
                + ": must be between 1 and 65535, inclusive");
      }
    }
    positive(at + ".periodSeconds", p.getPeriodSeconds(), out);
    positive(at + ".timeoutSeconds", p.getTimeoutSeconds(), out);
    positive(at + ".failureThreshold", p.getFailureThreshold(), out);
    if (p.getInitialDelaySeconds() != null && p.getInitialDelaySeconds() < 0) {
      out.add(at + ".initialDelaySeconds: Invalid value: must be greater than or equal to 0");
    }
  }

  private static void positive(String at, Integer value, List<String> out) {
    if (value != null && value < 1) {
      out.add(at + ": Invalid value: " + value + ": must be greater than or equal to 1");
    }
  }

  private static void securityContext(String at, PodSecurityContext sc, List<String> out) {
    if (sc == null) {
      return;
    }
    id(at + ".runAsUser", sc.getRunAsUser(), out);
    id(at + ".runAsGroup", sc.getRunAsGroup(), out);
    id(at + ".fsGroup", sc.getFsGroup(), out);
    List<Long> groups = nz(sc.getSupplementalGroups());
    for (int i = 0; i < groups.size(); i++) {
      id(at + ".supplementalGroups[" + i + "]", groups.get(i), out);
    }
    String policy = sc.getFsGroupChangePolicy();
    if (policy != null && !Set.of("OnRootMismatch", "Always").contains(policy)) {
      out.add(at + ".fsGroupChangePolicy: Unsupported value: \"" + policy + "\"");
    }
  }

  private static void id(String at, Long id, List<String> out) {
    if (id != null && (id < 0 || id > MAX_ID)) {
      out.add(at + ": Invalid value: " + id + ": must be between 0 and " + MAX_ID + ", inclusive");
    }
  }

  private static void toleration(String at, Toleration t, List<String> out) {
    String key = t.getKey() == null ? "" : t.getKey();
    String op = t.getOperator() == null ? "Equal" : t.getOperator();
    if (!key.isEmpty() && !isQualifiedName(key)) {
      out.add(at + ".key: Invalid value: \"" + key + "\"");
    }
    if (!OPERATORS.contains(op)) {
      out.add(at + ".operator: Unsupported value: \"" + op + "\"");
    }
    if (key.isEmpty() && !op.equals("Exists")) {
      out.add(at + ".operator: Invalid value: operator must be Exists when `key` is empty");
    }
    if (op.equals("Exists") && t.getValue() != null && !t.getValue().isEmpty()) {
      out.add(at + ".operator: Invalid value: value must be empty when `operator` is 'Exists'");
    }
    if (t.getEffect() != null && !EFFECTS.contains(t.getEffect())) {
      out.add(at + ".effect: Unsupported value: \"" + t.getEffect() + "\"");
    }
    if (t.getTolerationSeconds() != null && !"NoExecute".equals(t.getEffect())) {
      out.add(
          at
              + ".effect: Invalid value: effect must be 'NoExecute' when `tolerationSeconds` is set");
    }
  }

  static void labels(String at, Map<String, String> labels, List<String> out) {
    if (labels == null) {
      return;
    }
    labels.forEach(
        (k, v) -> {
          if (!isQualifiedName(k)) {
            out.add(at + ": Invalid value: \"" + k + "\": not a qualified name");
          }
          if (!isLabelValue(v)) {
            out.add(at + "[" + k + "]: Invalid value: \"" + v + "\": not a valid label value");
          }
        });
  }

  static <T> List<T> nz(List<T> list) {
    return list == null ? List.of() : list;
  }
}
