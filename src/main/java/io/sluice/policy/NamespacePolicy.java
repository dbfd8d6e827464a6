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
    @Schema(example = "10Ti") String maxStorage,
    boolean requireActiveDeadline,
    boolean requireTtlAfterFinished,
    @Schema(description = "Shortest interval between scheduled runs, in seconds", example = "60")
        long minCronIntervalSeconds) {

  public Duration minCronInterval() {
    return Duration.ofSeconds(minCronIntervalSeconds);
  }

  /** The rules of {@code defaults}, each replaced by its override when {@code o} has one. */
  static NamespacePolicy resolve(PolicyConfig.Rules d, PolicyConfig.Overrides o) {
    return new NamespacePolicy(
        List.copyOf(pick(o, PolicyConfig.Overrides::allowedImages, d.allowedImages())),
        pick(o, PolicyConfig.Overrides::requireDigest, d.requireDigest()),
        pick(o, PolicyConfig.Overrides::maxReplicas, d.maxReplicas()),
        pick(o, PolicyConfig.Overrides::maxParallelism, d.maxParallelism()),
        pick(o, PolicyConfig.Overrides::maxCompletions, d.maxCompletions()),
        pick(o, PolicyConfig.Overrides::maxBackoffLimit, d.maxBackoffLimit()),
        pick(o, PolicyConfig.Overrides::maxCpu, d.maxCpu()),
        pick(o, PolicyConfig.Overrides::maxMemory, d.maxMemory()),
        pick(o, PolicyConfig.Overrides::maxStorage, d.maxStorage()),
        pick(o, PolicyConfig.Overrides::requireActiveDeadline, d.requireActiveDeadline()),
        pick(o, PolicyConfig.Overrides::requireTtlAfterFinished, d.requireTtlAfterFinished()),
        pick(o, PolicyConfig.Overrides::minCronInterval, d.minCronInterval()).toSeconds());
  }

  private static <T> T pick(
      PolicyConfig.Overrides o,
      java.util.function.Function<PolicyConfig.Overrides, java.util.Optional<T>> rule,
      T fallback) {
    return o == null ? fallback : rule.apply(o).orElse(fallback);
  }
}
