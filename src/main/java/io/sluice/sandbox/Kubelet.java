package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's scheduler and kubelet for one node: it refuses what a real one refuses and says so
 * the way a real one does, in the pod's status and in Events. A pod is scheduled only if the node
 * has room for its requests and its claims are bound; its volumes mount only if their ConfigMaps
 * and Secrets exist; its image is pulled (names containing {@code unpullable} are not found); its
 * container is created only if the Secrets and ConfigMaps it reads exist and, under {@code
 * runAsNonRoot}, it names a user or its image is known to be non-root. Then it runs: a batch pod
 * ends Succeeded, or Failed when its image name contains {@code fail}; {@code oom} is killed for
 * memory (exit 137); a process that is not root cannot write to a claim without an {@code fsGroup}.
 * A long-running pod that fails restarts in CrashLoopBackOff with its restart count and last
 * termination, as a kubelet reports them. Each check is re-made on every step, so creating a
 * missing Secret lets a waiting pod start, as on a cluster.
 */
final class Kubelet {
  static final String CONTAINER_CREATING = "ContainerCreating";

  private final KubernetesClient client;
  private final ClusterEvents events;
  private final SandboxNode node;
  private final Duration startDelay;
  private final Duration runDuration;

  Kubelet(
      KubernetesClient client,
      ClusterEvents events,
      SandboxNode node,
      Duration startDelay,
      Duration runDuration) {
    this.client = client;
    this.events = events;
    this.node = node;
    this.startDelay = startDelay;
    this.runDuration = runDuration;
  }

  /** How a started container ends, decided by what it runs and with which rights. */
  enum Fate {
    SUCCEEDS(0, "Completed", "Processed 1000 records (simulated)"),
    FAILS(1, "Error", "ERROR simulated failure: image name asks for it"),
    CRASHES(1, "Error", "ERROR simulated crash: image name asks for it"),
    OOM_KILLED(137, "OOMKilled", "Allocating buffers (simulated: more than the memory limit)"),
    CANNOT_WRITE(1, "Error", null);

    final int exitCode;
    final String reason;
    final String output;

    Fate(int exitCode, String reason, String output) {
      this.exitCode = exitCode;
      this.reason = reason;
      this.output = output;
    }
  }

  List<Pod> advance(List<Pod> pods, Instant now, boolean runToCompletion) {
    List<Pod> result = new ArrayList<>();
    for (Pod pod : pods) {
      result.add(advance(pod, now, runToCompletion));
    }
    return result;
  }

  Pod advance(Pod pod, Instant now, boolean runToCompletion) {
    if (Simulator.terminal(pod)) {
      return pod;
    }
    String phase = pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
    return "Pending".equals(phase)
        ? pending(pod, now, runToCompletion)
        : running(pod, now, runToCompletion);
  }

  // ---- Pending: schedule, mount, pull, create ------------------------------------------------

  private Pod pending(Pod pod, Instant now, boolean runToCompletion) {
    Optional<String> unschedulable = unschedulable(pod);
    if (unschedulable.isPresent()) {
      events.warning(pod, "FailedScheduling", unschedulable.get(), "default-scheduler", now);
      return status(
          pod,
          "Pending",
          ContainerStates.waiting(pod, null, null),
          ContainerStates.scheduled(false, unschedulable.get()));
    }
    if (!scheduled(pod)) {
      events.normal(
          pod,
          "Scheduled",
          "Successfully assigned "
              + pod.getMetadata().getNamespace()
              + "/"
              + pod.getMetadata().getName()
              + " to "
              + SandboxNode.NAME,
          "default-scheduler",
          now);
      assign(pod);
    }
    Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
    if (Duration.between(created, now).compareTo(startDelay) < 0) {
      return status(
          pod,
          "Pending",
          ContainerStates.waiting(pod, CONTAINER_CREATING, null),
          ContainerStates.scheduled(true, null));
    }
    Optional<String> mount = mountProblem(pod);
    if (mount.isPresent()) {
      events.warning(pod, "FailedMount", mount.get(), "kubelet", now);
      return status(
          pod,
          "Pending",
          ContainerStates.waiting(pod, CONTAINER_CREATING, null),
          ContainerStates.scheduled(true, null));
    }
    String image = main(pod).getImage();
    if (image.contains("unpullable")) {
      boolean first = waitingReason(pod) == null || CONTAINER_CREATING.equals(waitingReason(pod));
      String message =
          "Failed to pull image \""
              + image
              + "\": rpc error: code = NotFound desc = failed to pull and unpack image \""
              + image
              + "\": not found";
      events.warning(pod, "Failed", message, "kubelet", now);
      return status(
          pod,
          "Pending",
          first
              ? ContainerStates.waiting(pod, "ErrImagePull", message)
              : ContainerStates.waiting(
                  pod, "ImagePullBackOff", "Back-off pulling image \"" + image + "\""),
          ContainerStates.scheduled(true, null));
    }
    Optional<String> config = containerConfigProblem(pod);
    if (config.isPresent()) {
      events.warning(pod, "Failed", "Error: " + config.get(), "kubelet", now);
      return status(
          pod,
          "Pending",
          ContainerStates.waiting(pod, "CreateContainerConfigError", config.get()),
          ContainerStates.scheduled(true, null));
    }
    events.normal(
        pod,
        "Pulled",
        "Container image \"" + image + "\" already present on machine",
        "kubelet",
        now);
    events.normal(pod, "Started", "Started container " + main(pod).getName(), "kubelet", now);
    Fate fate = fate(pod, !runToCompletion);
    return update(
        pod,
        "Running",
        ContainerStates.runningStatus(pod, fate == Fate.SUCCEEDS, 0, null, now),
        Logs.append(pod, now, Logs.started(pod)));
  }

  /** The scheduler's verdict: requests beyond the node, or claims not bound yet. */
  Optional<String> unschedulable(Pod pod) {
    List<String> short_ = new ArrayList<>();
    if (requested(pod, "cpu").compareTo(amount(node.cpu())) > 0) {
      short_.add("1 Insufficient cpu");
    }
    if (requested(pod, "memory").compareTo(amount(node.memory())) > 0) {
      short_.add("1 Insufficient memory");
    }
    if (!short_.isEmpty()) {
      return Optional.of(
          "0/1 nodes are available: "
              + String.join(", ", short_)
              + ". preemption: 0/1 nodes are available: 1 No preemption victims found for incoming"
              + " pod.");
    }
    for (Volume v : volumes(pod)) {
      if (v.getPersistentVolumeClaim() != null) {
        PersistentVolumeClaim claim =
            client
                .persistentVolumeClaims()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(v.getPersistentVolumeClaim().getClaimName())
                .get();
        if (claim == null) {
          return Optional.of(
              "0/1 nodes are available: persistentvolumeclaim \""
                  + v.getPersistentVolumeClaim().getClaimName()
                  + "\" not found.");
        }
        if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
          return Optional.of(
              "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims."
                  + " preemption: 0/1 nodes are available: 1 Preemption is not helpful for"
                  + " scheduling.");
        }
      }
    }
    return Optional.empty();
  }

  /** A ConfigMap or Secret volume whose object does not exist: the kubelet cannot mount it. */
  Optional<String> mountProblem(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    for (Volume v : volumes(pod)) {
      if (v.getConfigMap() != null
          && !Boolean.TRUE.equals(v.getConfigMap().getOptional())
          && client.configMaps().inNamespace(ns).withName(v.getConfigMap().getName()).get()
              == null) {
        return Optional.of(
            "MountVolume.SetUp failed for volume \""
                + v.getName()
                + "\" : configmap \""
                + v.getConfigMap().getName()
                + "\" not found");
      }
      if (v.getSecret() != null
          && !Boolean.TRUE.equals(v.getSecret().getOptional())
          && client.secrets().inNamespace(ns).withName(v.getSecret().getSecretName()).get()
              == null) {
        return Optional.of(
            "MountVolume.SetUp failed for volume \""
                + v.getName()
                + "\" : secret \""
                + v.getSecret().getSecretName()
                + "\" not found");
      }
    }
    return Optional.empty();
  }

  /**
   * What keeps the kubelet from creating the container: a Secret or ConfigMap it reads as
   * environment that does not exist, or {@code runAsNonRoot} with neither a user nor a non-root
   * image.
   */
  Optional<String> containerConfigProblem(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    Container c = main(pod);
    for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
      if (from.getSecretRef() != null
          && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
          && client.secrets().inNamespace(ns).withName(from.getSecretRef().getName()).get()
              == null) {
        return Optional.of("secret \"" + from.getSecretRef().getName() + "\" not found");
      }
      if (from.getConfigMapRef() != null
          && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
          && client.configMaps().inNamespace(ns).withName(from.getConfigMapRef().getName()).get()
              == null) {
        return Optional.of("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
      }
    }
    return rootUnderNonRoot(pod, node);
  }

  /**
   * The kubelet's check of {@code runAsNonRoot}: with no user named, the image's own USER must not
   * be root (the sandbox knows that only of the images {@link SandboxNode} lists).
   */
  static Optional<String> rootUnderNonRoot(Pod pod, SandboxNode node) {
    Container c = main(pod);
    if (runAsNonRoot(pod) && runAsUser(pod) == null && !node.nonRootImage(c.getImage())) {
      return Optional.of(
          "container has runAsNonRoot and image will run as root (pod: \""
              + pod.getMetadata().getName()
              + "_"
              + pod.getMetadata().getNamespace()
              + "\", container: "
              + c.getName()
              + ")");
    }
    return Optional.empty();
  }

  // ---- Running ---------------------------------------------------------------------------------

  private Pod running(Pod pod, Instant now, boolean runToCompletion) {
    ContainerStatus status = containerStatus(pod);
    Instant started = startedAt(status, pod);
    int restarts =
        status == null || status.getRestartCount() == null ? 0 : status.getRestartCount();
    Fate fate = fate(pod, !runToCompletion);
    if (runToCompletion) {
      if (Duration.between(started, now).compareTo(runDuration) < 0) {
        return pod;
      }
      return update(
          pod,
          fate == Fate.SUCCEEDS ? "Succeeded" : "Failed",
          ContainerStates.terminatedStatus(fate, restarts, now),
          Logs.append(pod, now, output(pod, fate) + "\nExited with code " + fate.exitCode));
    }
    if (fate == Fate.SUCCEEDS) {
      return pod;
    }
    // A failing long-running container ends after each run and is restarted with a back-off.
    boolean backingOff = "CrashLoopBackOff".equals(waitingReason(pod));
    Instant ended =
        status != null
                && status.getLastState() != null
                && status.getLastState().getTerminated() != null
            ? Instant.parse(status.getLastState().getTerminated().getFinishedAt())
            : null;
    if (!backingOff && Duration.between(started, now).compareTo(runDuration) >= 0) {
      events.warning(
          pod,
          "BackOff",
          "Back-off restarting failed container "
              + main(pod).getName()
              + " in pod "
              + pod.getMetadata().getName()
              + "_"
              + pod.getMetadata().getNamespace(),
          "kubelet",
          now);
      return update(
          pod,
          "Running",
          ContainerStates.crashLoop(fate, restarts, now),
          Logs.append(pod, now, output(pod, fate) + "\nExited with code " + fate.exitCode));
    }
    if (backingOff && ended != null && Duration.between(ended, now).compareTo(startDelay) >= 0) {
      // Restarted: a new container, its predecessor's log kept as the "previous" one.
      return update(
          pod,
          "Running",
          ContainerStates.runningStatus(pod, false, restarts + 1, status.getLastState(), now),
          Logs.restart(pod, now, Logs.started(pod)));
    }
    return pod;
  }

  /** How a started container will end: by its image name, its memory and its volumes' owners. */
  static Fate fate(Pod pod, boolean longRunning) {
    String image = main(pod).getImage();
    if (image.contains("oom")) {
      return Fate.OOM_KILLED;
    }
    if (cannotWrite(pod).isPresent()) {
      return Fate.CANNOT_WRITE;
    }
    if (image.contains("fail") || (longRunning && image.contains("crash"))) {
      return longRunning ? Fate.CRASHES : Fate.FAILS;
    }
    return Fate.SUCCEEDS;
  }

  /**
   * A fresh volume is owned by root with mode 0755: a process that is not root writes to it only
   * when the pod's fsGroup makes the kubelet hand it to that group.
   */
  static Optional<String> cannotWrite(Pod pod) {
    boolean root = Long.valueOf(0).equals(runAsUser(pod));
    boolean fsGroup =
        pod.getSpec().getSecurityContext() != null
            && pod.getSpec().getSecurityContext().getFsGroup() != null;
    if (root || fsGroup) {
      return Optional.empty();
    }
    Map<String, Volume> claims = new java.util.HashMap<>();
    volumes(pod).stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .forEach(v -> claims.put(v.getName(), v));
    var mounts =
        main(pod).getVolumeMounts() == null
            ? List.<io.fabric8.kubernetes.api.model.VolumeMount>of()
            : main(pod).getVolumeMounts();
    return mounts.stream()
        .filter(m -> claims.containsKey(m.getName()))
        .filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
        .map(
            m ->
                "mkdir: cannot create directory '" + m.getMountPath() + "/work': Permission denied")
        .findFirst();
  }

  private String output(Pod pod, Fate fate) {
    return fate == Fate.CANNOT_WRITE ? cannotWrite(pod).orElse("Permission denied") : fate.output;
  }

  // ---- writing status -----------------------------------------------------------------

  /** Writes a pending pod's status when it changed (so a waiting pod does not churn watches). */
  private Pod status(Pod pod, String phase, ContainerStatus container, PodCondition scheduled) {
    List<PodCondition> conditions = new ArrayList<>(List.of(scheduled));
    conditions.add(ContainerStates.ready(false));
    List<ContainerStatus> containers =
        container == null ? List.of() : List.of(named(container, pod));
    var current = pod.getStatus();
    if (current != null
        && phase.equals(current.getPhase())
        && java.util.Objects.equals(conditions, current.getConditions())
        && java.util.Objects.equals(
            containers,
            current.getContainerStatuses() == null ? List.of() : current.getContainerStatuses())) {
      return pod;
    }
    return client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.getStatus().setPhase(phase);
              p.getStatus().setConditions(conditions);
              p.getStatus().setContainerStatuses(containers);
              return p;
            });
  }

  private Pod update(Pod pod, String phase, ContainerStatus container, Map<String, String> logs) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    client
        .pods()
        .inNamespace(ns)
        .withName(name)
        .edit(
            p -> {
              p.getMetadata().getAnnotations().putAll(logs);
              return p;
            });
    boolean isReady = Boolean.TRUE.equals(container.getReady());
    return client
        .pods()
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            p -> {
              p.getStatus().setPhase(phase);
              p.getStatus().setContainerStatuses(List.of(named(container, pod)));
              p.getStatus()
                  .setConditions(
                      List.of(
                          ContainerStates.scheduled(true, null), ContainerStates.ready(isReady)));
              p.getStatus().setHostIP("10.0.0.1");
              return p;
            });
  }

  /** A container's status carries its container's name (an operator's pods name theirs). */
  private static ContainerStatus named(ContainerStatus status, Pod pod) {
    status.setName(main(pod).getName());
    return status;
  }

  private void assign(Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .edit(
            p -> {
              p.getSpec().setNodeName(SandboxNode.NAME);
              return p;
            });
  }

  private static boolean scheduled(Pod pod) {
    return pod.getSpec().getNodeName() != null;
  }

  // ---- reading pods ----------------------------------------------------------------------------

  static Container main(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  private static List<Volume> volumes(Pod pod) {
    return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
  }

  private static ContainerStatus containerStatus(Pod pod) {
    var statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    return statuses == null || statuses.isEmpty() ? null : statuses.get(0);
  }

  private static String waitingReason(Pod pod) {
    ContainerStatus s = containerStatus(pod);
    return s == null || s.getState() == null || s.getState().getWaiting() == null
        ? null
        : s.getState().getWaiting().getReason();
  }

  private static Instant startedAt(ContainerStatus status, Pod pod) {
    if (status != null && status.getState() != null && status.getState().getRunning() != null) {
      return Instant.parse(status.getState().getRunning().getStartedAt());
    }
    return Instant.parse(pod.getMetadata().getCreationTimestamp());
  }

  private static boolean runAsNonRoot(Pod pod) {
    Container c = main(pod);
    if (c.getSecurityContext() != null && c.getSecurityContext().getRunAsNonRoot() != null) {
      return c.getSecurityContext().getRunAsNonRoot();
    }
    return pod.getSpec().getSecurityContext() != null
        && Boolean.TRUE.equals(pod.getSpec().getSecurityContext().getRunAsNonRoot());
  }

  private static Long runAsUser(Pod pod) {
    Container c = main(pod);
    if (c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null) {
      return c.getSecurityContext().getRunAsUser();
    }
    return pod.getSpec().getSecurityContext() == null
        ? null
        : pod.getSpec().getSecurityContext().getRunAsUser();
  }

  /** The sum of the pod's containers' requests of one resource (a limit stands in for none). */
  static BigDecimal requested(Pod pod, String resource) {
    BigDecimal total = BigDecimal.ZERO;
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Quantity q =
          c.getResources().getRequests() != null
              ? c.getResources().getRequests().get(resource)
              : null;
      if (q == null && c.getResources().getLimits() != null) {
        q = c.getResources().getLimits().get(resource);
      }
      if (q != null) {
        total = total.add(Quantity.getAmountInBytes(q));
      }
    }
    return total;
  }

  private static BigDecimal amount(String quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity));
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
