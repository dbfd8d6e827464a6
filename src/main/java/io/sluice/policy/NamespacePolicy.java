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

  static NamespacePolicy resolve(PolicyConfig.Rules d, PolicyConfig.Overrides o) {
    if (o == null) {
      return new NamespacePolicy(
          List.copyOf(d.allowedImages()),
          d.requireDigest(),
          d.maxReplicas(),
          d.maxParallelism(),
          d.maxCompletions(),
          d.maxBackoffLimit(),
          d.maxCpu(),
          d.maxMemory(),
          d.maxStorage(),
          d.requireActiveDeadline(),
          d.requireTtlAfterFinished(),
          d.minCronInterval().toSeconds());
    }
    return new NamespacePolicy(
        List.copyOf(o.allowedImages().orElse(d.allowedImages())),
        o.requireDigest().orElse(d.requireDigest()),
        o.maxReplicas().orElse(d.maxReplicas()),
        o.maxParallelism().orElse(d.maxParallelism()),
        o.maxCompletions().orElse(d.maxCompletions()),
        o.maxBackoffLimit().orElse(d.maxBackoffLimit()),
        o.maxCpu().orElse(d.maxCpu()),
        o.maxMemory().orElse(d.maxMemory()),
        o.maxStorage().orElse(d.maxStorage()),
        o.requireActiveDeadline().orElse(d.requireActiveDeadline()),
        o.requireTtlAfterFinished().orElse(d.requireTtlAfterFinished()),
        o.minCronInterval().orElse(d.minCronInterval()).toSeconds());
  }
}
