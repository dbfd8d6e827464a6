package io.sluice.render;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.sluice.job.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod template every workload kind shares: one container named {@code main}, config and volumes
 * mounted, and the Kubernetes "restricted" Pod Security Standard applied.
 */
public final class PodTemplates {
  private PodTemplates() {}

  public static final String CONTAINER = "main";

  /** How a workload's pods mount persistent volumes. */
  public enum Claims {
    /** Standalone PVCs named by {@link Names#claim}. */
    STANDALONE,
    /** StatefulSet volumeClaimTemplates: the volume name is the template's name. */
    TEMPLATES
  }

  /** A pod template for {@code spec} at {@code revision}; {@code run} adds per-run overrides. */
  public static PodTemplateSpec render(
      RenderInput job,
      JobSpec spec,
      int revision,
      RenderInput.RunInput run,
      String restartPolicy,
      Claims claims) {
    Map<String, String> labels = labels(job, run);
    Map<String, String> annotations = annotations(spec, revision);
    Optional<String> configMap = ConfigMaps.name(job, spec);
    List<Volume> volumes = volumes(spec, claims, job.name(), configMap);
    // Set directly rather than through nested builders, which copy every object they are given
    // and copy again on build(): this template is rendered on every create (admission) and pass.
    PodSpec pod = new PodSpec();
    pod.setContainers(new ArrayList<>(List.of(container(job, spec, revision, run, configMap))));
    pod.setVolumes(volumes);
    pod.setRestartPolicy(restartPolicy);
    pod.setSecurityContext(podSecurity(spec.securityContext()));
    pod.setServiceAccountName(spec.serviceAccountName());
    // A pod gets a Kubernetes API credential only when its job asks (and policy allowed it).
    pod.setAutomountServiceAccountToken(Boolean.TRUE.equals(spec.automountServiceAccountToken()));
    pod.setNodeSelector(
        spec.nodeSelector() == null ? null : new LinkedHashMap<>(spec.nodeSelector()));
    pod.setTolerations(new ArrayList<>(tolerations(spec)));
    ObjectMeta meta = new ObjectMeta();
    meta.setLabels(labels);
    meta.setAnnotations(annotations);
    return new PodTemplateSpec(meta, pod);
  }

  /** The labels of a job's pods; a run's pods also carry the run's number. */
  public static Map<String, String> labels(RenderInput job, RenderInput.RunInput run) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.of(job));
    if (run != null) {
      labels.put(Labels.RUN, Integer.toString(run.number()));
    }
    return labels;
  }

  /** The user's pod annotations and the revision the pods run. */
  public static Map<String, String> annotations(JobSpec spec, int revision) {
    Map<String, String> annotations = new LinkedHashMap<>(spec.annotationsOrEmpty());
    annotations.put(Labels.REVISION_ANNOTATION, Integer.toString(revision));
    return annotations;
  }

  /** The config ConfigMap's volume (when the spec has config) and the job's claims. */
  public static List<Volume> volumes(RenderInput job, JobSpec spec, Claims claims) {
    return volumes(spec, claims, job.name(), ConfigMaps.name(job, spec));
  }

  /** As above, with the config ConfigMap's name already known (it hashes the whole config). */
  private static List<Volume> volumes(
      JobSpec spec, Claims claims, String jobName, Optional<String> configMap) {
    List<Volume> volumes = new ArrayList<>();
    configMap.ifPresent(
        name ->
            volumes.add(
                new VolumeBuilder()
                    .withName(ConfigMaps.VOLUME)
                    .withNewConfigMap()
                    .withName(name)
                    .withDefaultMode(0444)
                    .endConfigMap()
                    .build()));
    if (claims == Claims.STANDALONE) {
      for (JobSpec.VolumeSpec v : spec.volumesOrEmpty()) {
        volumes.add(
            new VolumeBuilder()
                .withName(v.name())
                .withNewPersistentVolumeClaim()
                .withClaimName(Names.claim(jobName, v.name()))
                .endPersistentVolumeClaim()
                .build());
      }
    }
    return volumes;
  }

  /** Where the config and the claims are mounted in the job's container. */
  public static List<VolumeMount> mounts(RenderInput job, JobSpec spec) {
    return mounts(spec, ConfigMaps.name(job, spec));
  }

  /** Config as env (when asked) and the Secrets the spec names. */
  public static List<EnvFromSource> envFrom(RenderInput job, JobSpec spec) {
    return envFrom(spec, ConfigMaps.name(job, spec));
  }

  private static Container container(
      RenderInput job,
      JobSpec spec,
      int revision,
      RenderInput.RunInput run,
      Optional<String> configMap) {
    List<String> args =
        run != null && run.args() != null && !run.args().isEmpty()
            ? run.args()
            : spec.argsOrEmpty();
    Container container = new Container();
    container.setName(CONTAINER);
    container.setImage(spec.image());
    container.setCommand(new ArrayList<>(spec.commandOrEmpty()));
    container.setArgs(new ArrayList<>(args));
    container.setEnv(new ArrayList<>(env(job, spec, revision, run)));
    container.setEnvFrom(new ArrayList<>(envFrom(spec, configMap)));
    container.setResources(resources(spec.resources()));
    container.setPorts(new ArrayList<>(ports(spec)));
    container.setVolumeMounts(new ArrayList<>(mounts(spec, configMap)));
    container.setLivenessProbe(probe(spec.probes() == null ? null : spec.probes().liveness()));
    container.setReadinessProbe(probe(spec.probes() == null ? null : spec.probes().readiness()));
    container.setStartupProbe(probe(spec.probes() == null ? null : spec.probes().startup()));
    container.setSecurityContext(containerSecurity());
    return container;
  }

  /** The user's variables (a run's override wins by name), then the ones Sluice provides. */
  public static List<EnvVar> env(
      RenderInput job, JobSpec spec, int revision, RenderInput.RunInput run) {
    Map<String, String> values = new LinkedHashMap<>();
    spec.envOrEmpty().forEach(e -> values.put(e.name(), e.value()));
    if (run != null && run.env() != null) {
      run.env().forEach(e -> values.put(e.name(), e.value()));
    }
    values.put("SLUICE_JOB", job.name());
    values.put("SLUICE_NAMESPACE", job.namespace());
    values.put("SLUICE_REVISION", Integer.toString(revision));
    if (run != null) {
      values.put("SLUICE_RUN", Integer.toString(run.number()));
    }
    List<EnvVar> env = new ArrayList<>();
    values.forEach((k, v) -> env.add(new EnvVarBuilder().withName(k).withValue(v).build()));
    return env;
  }

  private static List<EnvFromSource> envFrom(JobSpec spec, Optional<String> configMap) {
    List<EnvFromSource> sources = new ArrayList<>();
    if (Boolean.TRUE.equals(spec.configAsEnv())) {
      configMap.ifPresent(
          name ->
              sources.add(
                  new EnvFromSourceBuilder()
                      .withNewConfigMapRef()
                      .withName(name)
                      .endConfigMapRef()
                      .build()));
    }
    for (String secret : spec.secretRefsOrEmpty()) {
      sources.add(
          new EnvFromSourceBuilder().withNewSecretRef().withName(secret).endSecretRef().build());
    }
    return sources;
  }

  private static ResourceRequirements resources(JobSpec.Resources resources) {
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
    if (resources != null) {
      builder.withRequests(quantities(resources.requests()));
      builder.withLimits(quantities(resources.limits()));
    }
    return builder.build();
  }

  private static Map<String, Quantity> quantities(JobSpec.ResourceList list) {
    Map<String, Quantity> map = new LinkedHashMap<>();
    if (list != null) {
      if (list.cpu() != null) {
        map.put("cpu", new Quantity(list.cpu()));
      }
      if (list.memory() != null) {
        map.put("memory", new Quantity(list.memory()));
      }
    }
    return map;
  }

  private static List<ContainerPort> ports(JobSpec spec) {
    return spec.portsOrEmpty().stream()
        .map(
            p ->
                new ContainerPortBuilder()
                    .withName(p.name())
                    .withContainerPort(p.containerPort())
                    .withProtocol(p.protocolOrDefault().name())
                    .build())
        .toList();
  }

  private static List<VolumeMount> mounts(JobSpec spec, Optional<String> configMap) {
    List<VolumeMount> mounts = new ArrayList<>();
    configMap.ifPresent(
        name ->
            mounts.add(
                new VolumeMountBuilder()
                    .withName(ConfigMaps.VOLUME)
                    .withMountPath(ConfigMaps.MOUNT_PATH)
                    .withReadOnly(true)
                    .build()));
    for (JobSpec.VolumeSpec v : spec.volumesOrEmpty()) {
      mounts.add(new VolumeMountBuilder().withName(v.name()).withMountPath(v.mountPath()).build());
    }
    return mounts;
  }

  private static Probe probe(JobSpec.Probe probe) {
    if (probe == null) {
      return null;
    }
    ProbeBuilder builder =
        new ProbeBuilder()
            .withInitialDelaySeconds(probe.initialDelaySeconds())
            .withPeriodSeconds(probe.periodSeconds())
            .withTimeoutSeconds(probe.timeoutSeconds())
            .withFailureThreshold(probe.failureThreshold());
    if (probe.httpGet() != null) {
      builder
          .withNewHttpGet()
          .withPath(probe.httpGet().path())
          .withNewPort(probe.httpGet().port())
          .endHttpGet();
    } else if (probe.tcpSocket() != null) {
      builder.withNewTcpSocket().withNewPort(probe.tcpSocket().port()).endTcpSocket();
    } else if (probe.exec() != null) {
      builder.withNewExec().withCommand(probe.exec().command()).endExec();
    }
    return builder.build();
  }

  public static List<Toleration> tolerations(JobSpec spec) {
    return spec.tolerationsOrEmpty().stream()
        .map(
            t ->
                new TolerationBuilder()
                    .withKey(t.key())
                    .withOperator(t.operator() == null ? null : t.operator().name())
                    .withValue(t.value())
                    .withEffect(t.effect() == null ? null : t.effect().name())
                    .withTolerationSeconds(t.tolerationSeconds())
                    .build())
        .toList();
  }

  /**
   * Pod-level half of the "restricted" Pod Security Standard, with the job's user, groups and
   * volume group (the namespace's defaults already filled in when the spec was stored).
   */
  public static PodSecurityContext podSecurity(JobSpec.PodSecurity identity) {
    PodSecurityContextBuilder builder =
        new PodSecurityContextBuilder()
            .withRunAsNonRoot(true)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile();
    if (identity != null) {
      builder
          .withRunAsUser(identity.runAsUser())
          .withRunAsGroup(identity.runAsGroup())
          .withFsGroup(identity.fsGroup())
          .withFsGroupChangePolicy(
              identity.fsGroupChangePolicy() == null ? null : identity.fsGroupChangePolicy().name())
          .withSupplementalGroups(new ArrayList<>(identity.supplementalGroupsOrEmpty()));
    }
    return builder.build();
  }

  /** Container-level half of the "restricted" Pod Security Standard. */
  public static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withCapabilities(new Capabilities(null, List.of("ALL")))
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }
}
