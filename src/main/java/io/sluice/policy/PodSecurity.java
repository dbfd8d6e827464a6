package io.sluice.policy;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Kubernetes "restricted" Pod Security Standard, checked on the pod specs Sluice is about to
 * apply, not on the request: whatever a request says, no object leaves Sluice with a pod that could
 * escape its container. Pure; a violation here is a bug in rendering and blocks the apply.
 */
public final class PodSecurity {
  private static final Set<String> ALLOWED_CAPABILITIES = Set.of("NET_BIND_SERVICE");
  private static final Set<String> ALLOWED_SECCOMP = Set.of("RuntimeDefault", "Localhost");

  private PodSecurity() {}

  /** Violations of every pod template in {@code objects}, as "Kind/name: what". */
  public static List<String> violations(List<? extends HasMetadata> objects) {
    List<String> out = new ArrayList<>();
    for (HasMetadata object : objects) {
      for (io.sluice.render.EnginePods.Role role : io.sluice.render.EnginePods.of(object)) {
        violations(role.template().getSpec())
            .forEach(
                v ->
                    out.add(
                        object.getKind()
                            + "/"
                            + object.getMetadata().getName()
                            + " "
                            + role.name()
                            + ": "
                            + v));
      }
      podSpec(object)
          .ifPresent(
              spec ->
                  violations(spec)
                      .forEach(
                          v ->
                              out.add(
                                  object.getKind()
                                      + "/"
                                      + object.getMetadata().getName()
                                      + ": "
                                      + v)));
    }
    return out;
  }

  static Optional<PodSpec> podSpec(HasMetadata object) {
    if (object instanceof Job job) {
      return Optional.ofNullable(job.getSpec().getTemplate().getSpec());
    }
    if (object instanceof CronJob cron) {
      return Optional.ofNullable(cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
    }
    if (object instanceof Deployment deployment) {
      return Optional.ofNullable(deployment.getSpec().getTemplate().getSpec());
    }
    if (object instanceof StatefulSet set) {
      return Optional.ofNullable(set.getSpec().getTemplate().getSpec());
    }
    return Optional.empty();
  }

  /** Violations of one pod spec; empty when it meets the restricted standard. */
  public static List<String> violations(PodSpec pod) {
    List<String> out = new ArrayList<>();
    if (Boolean.TRUE.equals(pod.getHostNetwork())) {
      out.add("hostNetwork must not be set");
    }
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      out.add("hostPID must not be set");
    }
    if (Boolean.TRUE.equals(pod.getHostIPC())) {
      out.add("hostIPC must not be set");
    }
    if (pod.getNodeName() != null) {
      out.add("nodeName must not be set");
    }
    if (pod.getPriorityClassName() != null) {
      out.add("priorityClassName must not be set");
    }
    for (Volume volume : nz(pod.getVolumes())) {
      if (!allowedVolume(volume)) {
        out.add(
            "volume "
                + volume.getName()
                + " must be configMap, secret, persistentVolumeClaim, emptyDir, projected or downwardAPI");
      }
    }
    PodSecurityContext podContext = pod.getSecurityContext();
    boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
    boolean podSeccomp = podContext != null && seccompOk(podContext.getSeccompProfile());
    if (podContext != null && Long.valueOf(0).equals(podContext.getRunAsUser())) {
      out.add("runAsUser must not be 0");
    }
    Stream.concat(nz(pod.getInitContainers()).stream(), nz(pod.getContainers()).stream())
        .forEach(c -> checkContainer(c, podNonRoot, podSeccomp, out));
    return out;
  }

  private static void checkContainer(
      Container container, boolean podNonRoot, boolean podSeccomp, List<String> out) {
    String name = "container " + container.getName() + ": ";
    SecurityContext sc = container.getSecurityContext();
    if (sc == null) {
      out.add(name + "securityContext is required");
      return;
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      out.add(name + "privileged must not be set");
    }
    if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      out.add(name + "allowPrivilegeEscalation must be false");
    }
    if (!(podNonRoot || Boolean.TRUE.equals(sc.getRunAsNonRoot()))
        || Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
      out.add(name + "runAsNonRoot must be true");
    }
    if (Long.valueOf(0).equals(sc.getRunAsUser())) {
      out.add(name + "runAsUser must not be 0");
    }
    if (!(podSeccomp || seccompOk(sc.getSeccompProfile()))
        || (sc.getSeccompProfile() != null && !seccompOk(sc.getSeccompProfile()))) {
      out.add(name + "seccompProfile must be RuntimeDefault or Localhost");
    }
    checkCapabilities(name, sc.getCapabilities(), out);
    for (ContainerPort port : nz(container.getPorts())) {
      if (port.getHostPort() != null && port.getHostPort() != 0) {
        out.add(name + "hostPort must not be set");
      }
    }
    for (Probe probe :
        Stream.of(
                container.getLivenessProbe(),
                container.getReadinessProbe(),
                container.getStartupProbe())
            .filter(p -> p != null)
            .toList()) {
      if ((probe.getHttpGet() != null && probe.getHttpGet().getHost() != null)
          || (probe.getTcpSocket() != null && probe.getTcpSocket().getHost() != null)) {
        out.add(name + "probes must not set host");
      }
    }
  }

  private static void checkCapabilities(String name, Capabilities caps, List<String> out) {
    if (caps == null || !nz(caps.getDrop()).contains("ALL")) {
      out.add(name + "capabilities must drop ALL");
    }
    if (caps != null) {
      for (String add : nz(caps.getAdd())) {
        if (!ALLOWED_CAPABILITIES.contains(add)) {
          out.add(name + "capability " + add + " must not be added");
        }
      }
    }
  }

  /** fabric8 leaves lists null when a builder was given null. */
  private static <T> List<T> nz(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static boolean seccompOk(SeccompProfile profile) {
    return profile != null && ALLOWED_SECCOMP.contains(profile.getType());
  }

  private static boolean allowedVolume(Volume v) {
    return v.getConfigMap() != null
        || v.getSecret() != null
        || v.getPersistentVolumeClaim() != null
        || v.getEmptyDir() != null
        || v.getProjected() != null
        || v.getDownwardAPI() != null;
  }
}
