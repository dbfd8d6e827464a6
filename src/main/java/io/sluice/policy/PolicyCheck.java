package io.sluice.policy;

import com.cronutils.model.time.ExecutionTime;
import io.sluice.api.FieldError;
import io.sluice.job.CronSchedule;
import io.sluice.job.JobSpec;
import io.sluice.job.Workload;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a structurally valid job spec against its namespace's policy. Pure: the same spec and
 * policy always give the same violations, each naming the rule that failed.
 */
public final class PolicyCheck {
  private static final int MAX_CRON_SAMPLES = 5000;
  private static final ZonedDateTime CRON_EPOCH =
      ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private PolicyCheck() {}

  public static List<FieldError> violations(
      NamespacePolicy policy, Workload workload, JobSpec spec) {
    List<FieldError> out = new ArrayList<>();
    checkImage(policy, spec.image(), out);
    checkCounts(policy, spec, out);
    checkResources(policy, spec.resources(), out);
    for (int i = 0; i < spec.volumesOrEmpty().size(); i++) {
      String size = spec.volumesOrEmpty().get(i).size();
      if (exceeds(size, policy.maxStorage())) {
        out.add(
            rule(
                "spec.volumes[" + i + "].size",
                "must be at most " + policy.maxStorage(),
                "maxStorage"));
      }
    }
    if (workload.isBatch()) {
      checkBatchLimits(policy, spec.batch(), out);
    }
    if (!policy.allowTolerateAllTaints()) {
      checkTolerations(spec, out);
    }
    if (workload == Workload.SCHEDULED && spec.schedule() != null) {
      shortestInterval(spec.schedule())
          .filter(gap -> gap.compareTo(policy.minCronInterval()) < 0)
          .ifPresent(
              gap ->
                  out.add(
                      rule(
                          "spec.schedule",
                          "runs as often as every "
                              + human(gap)
                              + "; this namespace allows at most one run every "
                              + human(policy.minCronInterval()),
                          "minCronInterval")));
    }
    return out;
  }

  /** Taints that keep ordinary pods off the control plane. */
  static final List<String> CONTROL_PLANE_TAINTS =
      List.of("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master");

  private static void checkTolerations(JobSpec spec, List<FieldError> out) {
    for (int i = 0; i < spec.tolerationsOrEmpty().size(); i++) {
      JobSpec.Toleration t = spec.tolerationsOrEmpty().get(i);
      boolean everyTaint =
          (t.key() == null || t.key().isEmpty())
              && t.operator() == JobSpec.TolerationOperator.Exists;
      if (everyTaint) {
        out.add(
            rule(
                "spec.tolerations[" + i + "]",
                "operator Exists with no key tolerates every taint, the control plane's too; name"
                    + " the taint's key",
                "allowTolerateAllTaints"));
      } else if (t.key() != null && CONTROL_PLANE_TAINTS.contains(t.key())) {
        out.add(
            rule(
                "spec.tolerations[" + i + "].key",
                "tolerating '" + t.key() + "' would schedule the pods on control-plane nodes",
                "allowTolerateAllTaints"));
      }
    }
  }

  /** A replica or parallelism count set outside the spec (the scale endpoint). */
  public static Optional<FieldError> scale(NamespacePolicy policy, Workload workload, int count) {
    int max = workload.isLongRunning() ? policy.maxReplicas() : policy.maxParallelism();
    String rule = workload.isLongRunning() ? "maxReplicas" : "maxParallelism";
    return count > max
        ? Optional.of(rule("replicas", "must be at most " + max, rule))
        : Optional.empty();
  }

  private static void checkImage(NamespacePolicy policy, String image, List<FieldError> out) {
    if (image == null) {
      return;
    }
    if (!ImageRef.allowed(image, policy.allowedImages())) {
      out.add(
          rule(
              "spec.image",
              "'"
                  + ImageRef.normalise(image)
                  + "' is not under an allowed prefix "
                  + policy.allowedImages(),
              "allowedImages"));
    }
    if (policy.requireDigest() && !ImageRef.pinned(image)) {
      out.add(rule("spec.image", "must be pinned by digest (@sha256:...)", "requireDigest"));
    }
  }

  private static void checkCounts(NamespacePolicy policy, JobSpec spec, List<FieldError> out) {
    if (spec.replicas() != null && spec.replicas() > policy.maxReplicas()) {
      out.add(rule("spec.replicas", "must be at most " + policy.maxReplicas(), "maxReplicas"));
    }
    if (spec.autoscaling() != null
        && spec.autoscaling().maxReplicas() != null
        && spec.autoscaling().maxReplicas() > policy.maxReplicas()) {
      out.add(
          rule(
              "spec.autoscaling.maxReplicas",
              "must be at most " + policy.maxReplicas(),
              "maxReplicas"));
    }
  }

  private static void checkBatchLimits(
      NamespacePolicy policy, JobSpec.BatchSpec batch, List<FieldError> out) {
    if (batch != null) {
      if (batch.parallelism() != null && batch.parallelism() > policy.maxParallelism()) {
        out.add(
            rule(
                "spec.batch.parallelism",
                "must be at most " + policy.maxParallelism(),
                "maxParallelism"));
      }
      if (batch.completions() != null && batch.completions() > policy.maxCompletions()) {
        out.add(
            rule(
                "spec.batch.completions",
                "must be at most " + policy.maxCompletions(),
                "maxCompletions"));
      }
      if (batch.backoffLimit() != null && batch.backoffLimit() > policy.maxBackoffLimit()) {
        out.add(
            rule(
                "spec.batch.backoffLimit",
                "must be at most " + policy.maxBackoffLimit(),
                "maxBackoffLimit"));
      }
    }
    if (policy.requireActiveDeadline()
        && (batch == null || batch.activeDeadlineSeconds() == null)) {
      out.add(
          rule(
              "spec.batch.activeDeadlineSeconds",
              "is required in this namespace",
              "requireActiveDeadline"));
    }
    if (policy.requireTtlAfterFinished()
        && (batch == null || batch.ttlSecondsAfterFinished() == null)) {
      out.add(
          rule(
              "spec.batch.ttlSecondsAfterFinished",
              "is required in this namespace",
              "requireTtlAfterFinished"));
    }
  }

  private static void checkResources(
      NamespacePolicy policy, JobSpec.Resources resources, List<FieldError> out) {
    if (resources != null) {
      checkResourceList(policy, "spec.resources.requests", resources.requests(), out);
      checkResourceList(policy, "spec.resources.limits", resources.limits(), out);
    }
  }

  private static void checkResourceList(
      NamespacePolicy policy, String path, JobSpec.ResourceList list, List<FieldError> out) {
    if (list == null) {
      return;
    }
    if (exceeds(list.cpu(), policy.maxCpu())) {
      out.add(rule(path + ".cpu", "must be at most " + policy.maxCpu(), "maxCpu"));
    }
    if (exceeds(list.memory(), policy.maxMemory())) {
      out.add(rule(path + ".memory", "must be at most " + policy.maxMemory(), "maxMemory"));
    }
  }

  /** The shortest gap between consecutive runs of a valid schedule, sampled over a year. */
  static Optional<Duration> shortestInterval(String schedule) {
    ExecutionTime times = ExecutionTime.forCron(CronSchedule.parse(schedule));
    Optional<ZonedDateTime> previous = times.nextExecution(CRON_EPOCH);
    ZonedDateTime horizon = CRON_EPOCH.plusYears(1);
    Duration shortest = null;
    for (int i = 0; i < MAX_CRON_SAMPLES && previous.isPresent(); i++) {
      Optional<ZonedDateTime> next = times.nextExecution(previous.get());
      if (next.isEmpty() || next.get().isAfter(horizon)) {
        break;
      }
      Duration gap = Duration.between(previous.get(), next.get());
      if (shortest == null || gap.compareTo(shortest) < 0) {
        shortest = gap;
      }
      if (shortest.toSeconds() <= 60) {
        break;
      }
      previous = next;
    }
    return Optional.ofNullable(shortest);
  }

  private static boolean exceeds(String quantity, String max) {
    if (quantity == null || !io.sluice.job.KubernetesSyntax.isQuantity(quantity)) {
      return false;
    }
    return io.sluice.job.KubernetesSyntax.amount(quantity)
            .compareTo(io.sluice.job.KubernetesSyntax.amount(max))
        > 0;
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) {
      return (s / 3600) + "h";
    }
    return s % 60 == 0 ? (s / 60) + "m" : s + "s";
  }

  private static FieldError rule(String field, String message, String rule) {
    return new FieldError(field, message, rule);
  }
}
