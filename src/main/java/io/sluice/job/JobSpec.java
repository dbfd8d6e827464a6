package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a job runs and how: the part of a job that is versioned. Every change to it writes a new
 * immutable revision. Absent and empty values mean the same thing (and compare equal), so a client
 * that sends {@code "args": []} and one that omits it describe the same spec.
 */
@Schema(description = "The versioned definition of what a job runs")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JobSpec(
    @Schema(description = "Container image", example = "ghcr.io/acme/ingest:1.4.2")
        @NotBlank
        @Size(max = 512)
        String image,
    @Schema(description = "Entrypoint override") @Size(max = 64)
        List<@NotNull @Size(max = 4096) String> command,
    @Schema(description = "Arguments to the entrypoint") @Size(max = 256)
        List<@NotNull @Size(max = 4096) String> args,
    @Schema(description = "Environment variables") @Size(max = 256)
        List<@Valid @NotNull EnvVar> env,
    @Schema(
            description =
                "Configuration entries; they become a ConfigMap mounted read-only as files at"
                    + " /etc/sluice/config")
        @Size(max = 256)
        Map<String, @NotNull @Size(max = 262144) String> config,
    @Schema(description = "Also expose every config entry as an environment variable")
        Boolean configAsEnv,
    @Schema(description = "Names of existing Secrets in the job's namespace, exposed as env")
        @Size(max = 32)
        List<@NotNull String> secretRefs,
    @Valid Resources resources,
    @Schema(description = "Persistent volumes; they outlive runs and pods") @Size(max = 16)
        List<@Valid @NotNull VolumeSpec> volumes,
    @Schema(description = "Container ports; a Service is created when any are declared")
        @Size(max = 16)
        List<@Valid @NotNull PortSpec> ports,
    @Schema(description = "Replica count for service and stateful workloads", example = "2")
        @Min(0)
        @Max(100000)
        Integer replicas,
    @Valid BatchSpec batch,
    @Schema(
            description = "Cron schedule (five fields or @hourly etc.), scheduled workloads only",
            example = "0 3 * * *")
        @Size(max = 128)
        String schedule,
    @Schema(description = "CronJob options, scheduled workloads only") @Valid Scheduling scheduling,
    @Schema(description = "Container health probes") @Valid Probes probes,
    @Schema(description = "Horizontal autoscaling, service and stateful workloads only") @Valid
        Autoscaling autoscaling,
    @Schema(description = "Rollout policy, service and stateful workloads only") @Valid
        Rollout rollout,
    @Schema(description = "Labels added to every Kubernetes object of the job") @Size(max = 64)
        Map<String, @NotNull String> labels,
    @Schema(description = "Annotations added to the job's pods") @Size(max = 64)
        Map<String, @NotNull String> annotations,
    @Size(max = 32) Map<String, @NotNull String> nodeSelector,
    @Size(max = 32) List<@Valid @NotNull Toleration> tolerations,
    @Schema(
            description =
                "ServiceAccount the pods run as; the namespace's policy lists the allowed ones",
            example = "ingest")
        @Size(max = 253)
        String serviceAccountName,
    @Schema(
            description =
                "Mount the ServiceAccount's Kubernetes API token in the pods. Off by default; the"
                    + " namespace's policy must allow it (allowServiceAccountToken)")
        Boolean automountServiceAccountToken,
    @Schema(
            description =
                "User, group and volume ownership of the pods' processes. Unset fields take the"
                    + " namespace policy's defaults (defaultRunAsUser etc.), so an image built to"
                    + " run as root still starts as a non-root user with writable volumes")
        @Valid
        PodSecurity securityContext,
    @Schema(description = "The Spark application of a spark job") @Valid
        io.sluice.engine.SparkOptions spark,
    @Schema(description = "The Flink application of a flink job") @Valid
        io.sluice.engine.FlinkOptions flink) {

  /** This spec with other resources: the namespace's defaults filled in, for one. */
  public JobSpec withResources(Resources newResources) {
    return new JobSpec(
        image,
        command,
        args,
        env,
        config,
        configAsEnv,
        secretRefs,
        newResources,
        volumes,
        ports,
        replicas,
        batch,
        schedule,
        scheduling,
        probes,
        autoscaling,
        rollout,
        labels,
        annotations,
        nodeSelector,
        tolerations,
        serviceAccountName,
        automountServiceAccountToken,
        securityContext,
        spark,
        flink);
  }

  /** This spec with another pod security context: the namespace's defaults filled in, for one. */
  public JobSpec withSecurityContext(PodSecurity newSecurity) {
    return new JobSpec(
        image,
        command,
        args,
        env,
        config,
        configAsEnv,
        secretRefs,
        resources,
        volumes,
        ports,
        replicas,
        batch,
        schedule,
        scheduling,
        probes,
        autoscaling,
        rollout,
        labels,
        annotations,
        nodeSelector,
        tolerations,
        serviceAccountName,
        automountServiceAccountToken,
        newSecurity,
        spark,
        flink);
  }

  /** The spec with every optional collection present (possibly empty), for code that reads it. */
  public List<String> commandOrEmpty() {
    return command == null ? List.of() : command;
  }

  public List<String> argsOrEmpty() {
    return args == null ? List.of() : args;
  }

  public List<EnvVar> envOrEmpty() {
    return env == null ? List.of() : env;
  }

  public Map<String, String> configOrEmpty() {
    return config == null ? Map.of() : config;
  }

  public List<String> secretRefsOrEmpty() {
    return secretRefs == null ? List.of() : secretRefs;
  }

  public List<VolumeSpec> volumesOrEmpty() {
    return volumes == null ? List.of() : volumes;
  }

  public List<PortSpec> portsOrEmpty() {
    return ports == null ? List.of() : ports;
  }

  public Map<String, String> labelsOrEmpty() {
    return labels == null ? Map.of() : labels;
  }

  public Map<String, String> annotationsOrEmpty() {
    return annotations == null ? Map.of() : annotations;
  }

  public Map<String, String> nodeSelectorOrEmpty() {
    return nodeSelector == null ? Map.of() : nodeSelector;
  }

  public List<Toleration> tolerationsOrEmpty() {
    return tolerations == null ? List.of() : tolerations;
  }

  /** One environment variable. */
  @Schema(name = "EnvVar")
  public record EnvVar(
      @Schema(example = "SOURCE_BUCKET") @NotBlank @Size(max = 256) String name,
      @Schema(example = "s3://raw/events") @Size(max = 32768) String value) {}

  /** CPU and memory requests and limits, as Kubernetes quantities. */
  @Schema(name = "Resources")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Resources(@Valid ResourceList requests, @Valid ResourceList limits) {}

  /** A pair of Kubernetes quantities. */
  @Schema(name = "ResourceList")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ResourceList(
      @Schema(example = "500m") @Size(max = 32) String cpu,
      @Schema(example = "1Gi") @Size(max = 32) String memory) {}

  /** A persistent volume claim the job mounts. */
  @Schema(name = "Volume")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record VolumeSpec(
      @Schema(example = "staging") @NotBlank @Size(max = 40) String name,
      @Schema(example = "10Gi") @NotBlank @Size(max = 32) String size,
      @Schema(example = "standard") @Size(max = 253) String storageClass,
      @Schema(example = "[\"ReadWriteOnce\"]") @Size(max = 4) List<@NotNull AccessMode> accessModes,
      @Schema(example = "/data") @NotBlank @Size(max = 1024) String mountPath) {

    public List<AccessMode> accessModesOrDefault() {
      return accessModes == null || accessModes.isEmpty()
          ? List.of(AccessMode.ReadWriteOnce)
          : accessModes;
    }
  }

  /** Kubernetes PersistentVolumeClaim access modes. */
  public enum AccessMode {
    ReadWriteOnce,
    ReadOnlyMany,
    ReadWriteMany,
    ReadWriteOncePod
  }

  /** A container port; exposed through a Service. */
  @Schema(name = "Port")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record PortSpec(
      @Schema(example = "http") @NotBlank @Size(max = 15) String name,
      @Schema(example = "8080") @NotNull @Min(1) @Max(65535) Integer containerPort,
      Protocol protocol) {

    public Protocol protocolOrDefault() {
      return protocol == null ? Protocol.TCP : protocol;
    }
  }

  /** Transport protocols Kubernetes Services support. */
  public enum Protocol {
    TCP,
    UDP,
    SCTP
  }

  /** Options of run-to-completion workloads (batch and scheduled). */
  @Schema(name = "BatchOptions")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record BatchSpec(
      @Schema(example = "1") @Min(0) Integer parallelism,
      @Schema(example = "1") @Min(1) Integer completions,
      @Schema(example = "3") @Min(0) @Max(100) Integer backoffLimit,
      @Schema(example = "3600") @Min(1) Long activeDeadlineSeconds,
      @Schema(example = "86400") @Min(0) Integer ttlSecondsAfterFinished) {}

  /** A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilisation. */
  @Schema(name = "Autoscaling")
  public record Autoscaling(
      @Schema(example = "2") @NotNull @Min(1) Integer minReplicas,
      @Schema(example = "10") @NotNull @Min(1) Integer maxReplicas,
      @Schema(example = "70") @NotNull @Min(1) @Max(100) Integer targetCPUUtilizationPercentage) {}

  /** How a new revision rolls out, and whether Sluice undoes one that does not become ready. */
  @Schema(name = "Rollout")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Rollout(
      @Schema(description = "Time a rollout has to become ready", example = "600")
          @Min(1)
          @Max(86400)
          Integer progressDeadlineSeconds,
      @Schema(
              description =
                  "Roll back to the last stable revision when the deadline passes; an automatic"
                      + " rollback is never rolled back again")
          Boolean autoRollback) {}

  /** How a scheduled job's CronJob starts runs. */
  @Schema(name = "Scheduling")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Scheduling(
      @Schema(description = "Default Forbid: a run never overlaps the previous one")
          ConcurrencyPolicy concurrencyPolicy,
      @Schema(example = "300") @Min(10) Long startingDeadlineSeconds,
      @Schema(example = "3") @Min(0) @Max(100) Integer successfulJobsHistoryLimit,
      @Schema(example = "1") @Min(0) @Max(100) Integer failedJobsHistoryLimit,
      @Schema(example = "Europe/Paris") @Size(max = 64) String timeZone) {}

  /** CronJob concurrency policies. */
  public enum ConcurrencyPolicy {
    Allow,
    Forbid,
    Replace
  }

  /** Liveness, readiness and startup probes of the container. */
  @Schema(name = "Probes")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Probes(@Valid Probe liveness, @Valid Probe readiness, @Valid Probe startup) {}

  /** One probe: exactly one of httpGet, tcpSocket or exec. */
  @Schema(name = "Probe")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Probe(
      @Valid HttpGetAction httpGet,
      @Valid TcpSocketAction tcpSocket,
      @Valid ExecAction exec,
      @Min(0) @Max(3600) Integer initialDelaySeconds,
      @Min(1) @Max(3600) Integer periodSeconds,
      @Min(1) @Max(3600) Integer timeoutSeconds,
      @Min(1) @Max(100) Integer failureThreshold) {}

  /** HTTP GET against the container. */
  @Schema(name = "HttpGetAction")
  public record HttpGetAction(
      @Schema(example = "/healthz") @NotBlank @Size(max = 1024) String path,
      @Schema(example = "8080") @NotNull @Min(1) @Max(65535) Integer port) {}

  /** TCP connect to the container. */
  @Schema(name = "TcpSocketAction")
  public record TcpSocketAction(@NotNull @Min(1) @Max(65535) Integer port) {}

  /** A command run in the container. */
  @Schema(name = "ExecAction")
  public record ExecAction(@NotNull @Size(min = 1, max = 64) List<@NotNull String> command) {}

  /**
   * The identity the pods' processes run with. Every id is non-zero: the restricted Pod Security
   * Standard refuses user 0, and Sluice refuses group 0 too so that no file a job writes is
   * root-owned.
   */
  @Schema(name = "PodSecurityContext")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record PodSecurity(
      @Schema(description = "UID of the container's processes", example = "999")
          @Min(value = 1, message = "must be a non-root user id (1 or more)")
          @Max(2147483647)
          Long runAsUser,
      @Schema(description = "Primary GID of the container's processes", example = "999")
          @Min(value = 1, message = "must be a non-root group id (1 or more)")
          @Max(2147483647)
          Long runAsGroup,
      @Schema(
              description =
                  "Group that owns the pods' volumes (and may write to them); Kubernetes changes"
                      + " their ownership to it when it mounts them",
              example = "999")
          @Min(value = 1, message = "must be a non-root group id (1 or more)")
          @Max(2147483647)
          Long fsGroup,
      @Schema(description = "When Kubernetes changes volume ownership to fsGroup")
          FsGroupChangePolicy fsGroupChangePolicy,
      @Schema(description = "Further groups of the container's processes") @Size(max = 32)
          List<
                  @NotNull @Min(value = 1, message = "must be a non-root group id (1 or more)")
                  @Max(2147483647) Long>
              supplementalGroups) {

    public List<Long> supplementalGroupsOrEmpty() {
      return supplementalGroups == null ? List.of() : supplementalGroups;
    }
  }

  /** Kubernetes' fsGroupChangePolicy values. */
  public enum FsGroupChangePolicy {
    OnRootMismatch,
    Always
  }

  /** A Kubernetes toleration. */
  @Schema(name = "Toleration")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Toleration(
      @Size(max = 316) String key,
      TolerationOperator operator,
      @Size(max = 63) String value,
      TaintEffect effect,
      Long tolerationSeconds) {}

  /** How a toleration matches a taint. */
  public enum TolerationOperator {
    Exists,
    Equal
  }

  /** Kubernetes taint effects. */
  public enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute
  }
}
