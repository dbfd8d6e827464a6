package io.sluice.policy;

import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The rules in force in one namespace, after overrides; what {@code GET .../policy} shows. */
@Schema(name = "Policy", description = "The rules jobs in a namespace must follow")
public record NamespacePolicy(
    @Schema(
            description = "Image prefixes allowed; [\"*\"] for any",
            example = "[\"ghcr.io/acme/\"]")
        List<String> allowedImages,
    boolean requireDigest,
    int maxReplicas,
    int maxParallelism,
    int maxCompletions,
    int maxBackoffLimit,
    @Schema(example = "64") String maxCpu,
    @Schema(example = "256Gi") String maxMemory,
    @Schema(
            description =
                "Most CPU of all of one job's pods together at full scale (replicas, parallelism,"
                    + " Spark executors, Flink TaskManagers)",
            example = "2000")
        String maxTotalCpu,
    @Schema(
            description = "Most memory of all of one job's pods together at full scale",
            example = "4Ti")
        String maxTotalMemory,
    @Schema(example = "10Ti") String maxStorage,
    boolean requireActiveDeadline,
    boolean requireTtlAfterFinished,
    @Schema(description = "Shortest interval between scheduled runs, in seconds", example = "60")
        long minCronIntervalSeconds,
    @Schema(
            description =
                "Sluice's own namespace or a kube-* one: no jobs unless allowReservedNamespace")
        boolean reservedNamespace,
    @Schema(description = "Jobs may run here even though the namespace is reserved")
        boolean allowReservedNamespace,
    @Schema(
            description = "ServiceAccounts jobs may run as: names, prefixes ending in *, or *",
            example = "[\"etl-*\"]")
        List<String> allowedServiceAccounts,
    @Schema(
            description = "Secrets jobs may name in secretRefs: names, prefixes ending in *, or *",
            example = "[\"warehouse-*\"]")
        List<String> allowedSecrets,
    @Schema(description = "Jobs may ask for their ServiceAccount's API token")
        boolean allowServiceAccountToken,
    @Schema(description = "CPU request of a container that sets none", example = "100m")
        String defaultCpuRequest,
    @Schema(description = "Memory request of a container that sets none", example = "256Mi")
        String defaultMemoryRequest,
    @Schema(description = "CPU limit of a container that sets none", example = "2")
        String defaultCpuLimit,
    @Schema(description = "Memory limit of a container that sets none", example = "2Gi")
        String defaultMemoryLimit,
    @Schema(description = "Most live jobs in the namespace", example = "2000") int maxJobs,
    @Schema(description = "Most bytes of stored job specs in the namespace", example = "256Mi")
        String maxSpecBytes,
    @Schema(
            description = "UID of pods whose job sets no runAsUser; 0: the image's own",
            example = "65532")
        long defaultRunAsUser,
    @Schema(
            description = "GID of pods whose job sets no runAsGroup; 0: the image's own",
            example = "65532")
        long defaultRunAsGroup,
    @Schema(
            description =
                "Group owning the volumes of pods whose job sets no fsGroup (the job's runAsGroup"
                    + " when set); 0: none",
            example = "65532")
        long defaultFsGroup,
    @Schema(
            description =
                "Jobs may tolerate every taint, or the control-plane taints (off: refused)")
        boolean allowTolerateAllTaints) {

  public Duration minCronInterval() {
    return Duration.ofSeconds(minCronIntervalSeconds);
  }

  /** False when the namespace is reserved and not explicitly opened to jobs. */
  public boolean jobsAllowed() {
    return !reservedNamespace || allowReservedNamespace;
  }

  /**
   * The rules of {@code defaults}, each replaced by its override when {@code o} has one; {@code
   * reserved} says whether the namespace is Sluice's own or a system one.
   */
  static NamespacePolicy resolve(PolicyConfig.Rules d, PolicyConfig.Overrides o, boolean reserved) {
    return new NamespacePolicy(
        List.copyOf(pick(o, PolicyConfig.Overrides::allowedImages, d.allowedImages())),
        pick(o, PolicyConfig.Overrides::requireDigest, d.requireDigest()),
        pick(o, PolicyConfig.Overrides::maxReplicas, d.maxReplicas()),
        pick(o, PolicyConfig.Overrides::maxParallelism, d.maxParallelism()),
        pick(o, PolicyConfig.Overrides::maxCompletions, d.maxCompletions()),
        pick(o, PolicyConfig.Overrides::maxBackoffLimit, d.maxBackoffLimit()),
        pick(o, PolicyConfig.Overrides::maxCpu, d.maxCpu()),
        pick(o, PolicyConfig.Overrides::maxMemory, d.maxMemory()),
        pick(o, PolicyConfig.Overrides::maxTotalCpu, d.maxTotalCpu()),
        pick(o, PolicyConfig.Overrides::maxTotalMemory, d.maxTotalMemory()),
        pick(o, PolicyConfig.Overrides::maxStorage, d.maxStorage()),
        pick(o, PolicyConfig.Overrides::requireActiveDeadline, d.requireActiveDeadline()),
        pick(o, PolicyConfig.Overrides::requireTtlAfterFinished, d.requireTtlAfterFinished()),
        pick(o, PolicyConfig.Overrides::minCronInterval, d.minCronInterval()).toSeconds(),
        reserved,
        pick(o, PolicyConfig.Overrides::allowReservedNamespace, d.allowReservedNamespace()),
        List.copyOf(
            pick(o, PolicyConfig.Overrides::allowedServiceAccounts, d.allowedServiceAccounts())),
        List.copyOf(pick(o, PolicyConfig.Overrides::allowedSecrets, d.allowedSecrets())),
        pick(o, PolicyConfig.Overrides::allowServiceAccountToken, d.allowServiceAccountToken()),
        pick(o, PolicyConfig.Overrides::defaultCpuRequest, d.defaultCpuRequest()),
        pick(o, PolicyConfig.Overrides::defaultMemoryRequest, d.defaultMemoryRequest()),
        pick(o, PolicyConfig.Overrides::defaultCpuLimit, d.defaultCpuLimit()),
        pick(o, PolicyConfig.Overrides::defaultMemoryLimit, d.defaultMemoryLimit()),
        pick(o, PolicyConfig.Overrides::maxJobs, d.maxJobs()),
        pick(o, PolicyConfig.Overrides::maxSpecBytes, d.maxSpecBytes()),
        pick(o, PolicyConfig.Overrides::defaultRunAsUser, d.defaultRunAsUser()),
        pick(o, PolicyConfig.Overrides::defaultRunAsGroup, d.defaultRunAsGroup()),
        pick(o, PolicyConfig.Overrides::defaultFsGroup, d.defaultFsGroup()),
        pick(o, PolicyConfig.Overrides::allowTolerateAllTaints, d.allowTolerateAllTaints()));
  }

  private static <T> T pick(
      PolicyConfig.Overrides o,
      java.util.function.Function<PolicyConfig.Overrides, java.util.Optional<T>> rule,
      T fallback) {
    return o == null ? fallback : rule.apply(o).orElse(fallback);
  }
}
