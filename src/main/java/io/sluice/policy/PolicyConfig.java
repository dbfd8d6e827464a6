package io.sluice.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What jobs may ask for, per namespace: {@code sluice.policy.defaults.*} applies everywhere, and
 * {@code sluice.policy.namespaces."<ns>".*} overrides any rule for one namespace. Violations are
 * refused with 422 naming the rule.
 */
@ConfigMapping(prefix = "sluice.policy")
public interface PolicyConfig {

  /** The rules of every namespace without an override. */
  Rules defaults();

  /** Per-namespace overrides; an unset rule inherits the default. */
  Map<String, Overrides> namespaces();

  interface Rules {
    /**
     * Image prefixes jobs may use, compared after normalising Docker Hub short names (e.g. {@code
     * ghcr.io/acme/}, {@code docker.io/library/busybox}); {@code *} allows any image.
     */
    @WithDefault("*")
    List<String> allowedImages();

    /** Require images pinned by digest ({@code @sha256:...}). */
    @WithDefault("false")
    boolean requireDigest();

    /** Largest replicas (spec, scale endpoint and autoscaler maximum). */
    @WithDefault("100")
    int maxReplicas();

    /** Largest batch parallelism (spec and scale endpoint). */
    @WithDefault("1000")
    int maxParallelism();

    /** Largest batch completions. */
    @WithDefault("1000")
    int maxCompletions();

    /** Largest batch backoffLimit. */
    @WithDefault("20")
    int maxBackoffLimit();

    /** Largest CPU request or limit of a container. */
    @WithDefault("64")
    String maxCpu();

    /** Largest memory request or limit of a container. */
    @WithDefault("256Gi")
    String maxMemory();

    /**
     * Largest CPU of all of one job's pods together at full scale: replicas (or the autoscaler's
     * maximum) or parallelism times a pod, a Spark driver and its executors, a Flink JobManager and
     * its TaskManagers. Limits count where set, else requests.
     */
    @WithDefault("2000")
    String maxTotalCpu();

    /** Largest memory of all of one job's pods together at full scale, counted as maxTotalCpu. */
    @WithDefault("4Ti")
    String maxTotalMemory();

    /** Largest size of one persistent volume. */
    @WithDefault("10Ti")
    String maxStorage();

    /** Batch and scheduled jobs must set batch.activeDeadlineSeconds. */
    @WithDefault("false")
    boolean requireActiveDeadline();

    /** Batch and scheduled jobs must set batch.ttlSecondsAfterFinished. */
    @WithDefault("false")
    boolean requireTtlAfterFinished();

    /** Shortest time allowed between two runs of a schedule. */
    @WithDefault("1m")
    Duration minCronInterval();

    /**
     * Allow jobs in a reserved namespace: Sluice's own ({@code sluice.kubernetes.namespace}) or a
     * {@code kube-*} one. Off: a job there could reach Sluice's credentials or the cluster's.
     */
    @WithDefault("false")
    boolean allowReservedNamespace();

    /**
     * ServiceAccounts jobs may run as ({@code serviceAccountName}): exact names, or prefixes ending
     * in {@code *} ({@code etl-*}); {@code *} allows any. Sluice's own account is never allowed.
     */
    @WithDefault("*")
    List<String> allowedServiceAccounts();

    /** Secrets jobs may name in {@code secretRefs}: exact names or prefixes ending in {@code *}. */
    @WithDefault("*")
    List<String> allowedSecrets();

    /**
     * Allow a job to ask for its ServiceAccount's API token ({@code automountServiceAccountToken:
     * true}). Off: pods never get a Kubernetes API credential.
     */
    @WithDefault("false")
    boolean allowServiceAccountToken();

    /** CPU request a container gets when the job sets none (at most its limit). */
    @WithDefault("100m")
    String defaultCpuRequest();

    /** Memory request a container gets when the job sets none (at most its limit). */
    @WithDefault("256Mi")
    String defaultMemoryRequest();

    /** CPU limit a container gets when the job sets none (at most maxCpu). */
    @WithDefault("2")
    String defaultCpuLimit();

    /** Memory limit a container gets when the job sets none (at most maxMemory). */
    @WithDefault("2Gi")
    String defaultMemoryLimit();

    /** Most live jobs in one namespace. */
    @WithDefault("2000")
    int maxJobs();

    /** Most bytes of job specs (the current revisions' JSON) stored in one namespace. */
    @WithDefault("256Mi")
    String maxSpecBytes();

    /**
     * UID the pods run as when a job sets no {@code securityContext.runAsUser}, so an image built
     * to run as root still starts (non-root) under the restricted Pod Security Standard; 65532 is
     * the distroless "nonroot" user. 0 sets none: the image's own USER applies, and the kubelet
     * refuses the pod if that is root.
     */
    @WithDefault("65532")
    long defaultRunAsUser();

    /** GID the pods run as when a job sets no {@code runAsGroup}; 0 sets none. */
    @WithDefault("65532")
    long defaultRunAsGroup();

    /**
     * Group that owns the pods' volumes when a job sets no {@code fsGroup} (the job's runAsGroup
     * when it sets one), so its non-root processes can write to fresh volumes; 0 sets none.
     */
    @WithDefault("65532")
    long defaultFsGroup();

    /**
     * Allow tolerations that tolerate every taint ({@code operator: Exists} with no key) or the
     * control-plane taints, which would let a job's pods onto the cluster's control-plane nodes.
     */
    @WithDefault("false")
    boolean allowTolerateAllTaints();
  }

  interface Overrides {
    Optional<List<String>> allowedImages();

    Optional<Boolean> requireDigest();

    Optional<Integer> maxReplicas();

    Optional<Integer> maxParallelism();

    Optional<Integer> maxCompletions();

    Optional<Integer> maxBackoffLimit();

    Optional<String> maxCpu();

    Optional<String> maxMemory();

    Optional<String> maxTotalCpu();

    Optional<String> maxTotalMemory();

    Optional<String> maxStorage();

    Optional<Boolean> requireActiveDeadline();

    Optional<Boolean> requireTtlAfterFinished();

    Optional<Duration> minCronInterval();

    Optional<Boolean> allowReservedNamespace();

    Optional<List<String>> allowedServiceAccounts();

    Optional<List<String>> allowedSecrets();

    Optional<Boolean> allowServiceAccountToken();

    Optional<String> defaultCpuRequest();

    Optional<String> defaultMemoryRequest();

    Optional<String> defaultCpuLimit();

    Optional<String> defaultMemoryLimit();

    Optional<Integer> maxJobs();

    Optional<String> maxSpecBytes();

    Optional<Long> defaultRunAsUser();

    Optional<Long> defaultRunAsGroup();

    Optional<Long> defaultFsGroup();

    Optional<Boolean> allowTolerateAllTaints();
  }
}
