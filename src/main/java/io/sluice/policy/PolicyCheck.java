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
    if (workload.isBatch() && !workload.isEngine()) {
      checkBatchLimits(policy, spec.batch(), out);
    }
    checkEngine(policy, workload, spec, out);
    out.addAll(totals(policy, workload, spec, null, "spec"));
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

  /**
   * All of the job's pods together, at full scale (or at {@code count}, a scale request's), against
   * maxTotalCpu and maxTotalMemory; errors are reported at {@code field}.
   */
  public static List<FieldError> totals(
      NamespacePolicy policy, Workload workload, JobSpec spec, Integer count, String field) {
    List<FieldError> out = new ArrayList<>();
    PodTotals totals = PodTotals.of(workload, spec, count);
    if (totals.cpu().compareTo(io.sluice.job.KubernetesSyntax.amount(policy.maxTotalCpu())) > 0) {
      out.add(
          rule(
              field,
              "the job's pods together would use "
                  + PodTotals.plain(totals.cpu())
                  + " CPU ("
                  + totals.how()
                  + "); this namespace allows at most "
                  + policy.maxTotalCpu()
                  + " per job",
              "maxTotalCpu"));
    }
    if (totals.memory().compareTo(io.sluice.job.KubernetesSyntax.amount(policy.maxTotalMemory()))
        > 0) {
      out.add(
          rule(
              field,
              "the job's pods together would use "
                  + PodTotals.bytes(totals.memory())
                  + " of memory ("
                  + totals.how()
                  + "); this namespace allows at most "
                  + policy.maxTotalMemory()
                  + " per job",
              "maxTotalMemory"));
    }
    return out;
  }

  /** Each Spark or Flink pod against maxCpu and maxMemory; counts against maxParallelism. */
  private static void checkEngine(
      NamespacePolicy policy, Workload workload, JobSpec spec, List<FieldError> out) {
    if (workload == Workload.SPARK && spec.spark() != null) {
      var s = spec.spark();
      boolean python = s.type() == io.sluice.engine.SparkOptions.Type.Python;
      if (s.driver() != null) {
        enginePod(
            policy,
            "spec.spark.driver",
            s.driver().cores() == null ? null : s.driver().cores().doubleValue(),
            io.sluice.engine.MemorySize.sparkPod(
                s.driver().memory(), s.driver().memoryOverhead(), python),
            out);
      }
      if (s.executor() != null) {
        enginePod(
            policy,
            "spec.spark.executor",
            s.executor().cores() == null ? null : s.executor().cores().doubleValue(),
            io.sluice.engine.MemorySize.sparkPod(
                s.executor().memory(), s.executor().memoryOverhead(), python),
            out);
      }
      int executors = s.executorsAtMost(null);
      if (executors > policy.maxParallelism()) {
        out.add(
            rule(
                s.dynamicAllocation() != null
                    ? "spec.spark.dynamicAllocation.maxExecutors"
                    : "spec.spark.executor.instances",
                "must be at most " + policy.maxParallelism(),
                "maxParallelism"));
      }
    }
    if (workload == Workload.FLINK && spec.flink() != null) {
      var f = spec.flink();
      if (f.jobManager() != null) {
        enginePod(
            policy,
            "spec.flink.jobManager",
            f.jobManager().cpu(),
            io.sluice.engine.MemorySize.bytes(f.jobManager().memory()).orElse(0L),
            out);
      }
      if (f.taskManager() != null) {
        enginePod(
            policy,
            "spec.flink.taskManager",
            f.taskManager().cpu(),
            io.sluice.engine.MemorySize.bytes(f.taskManager().memory()).orElse(0L),
            out);
      }
      if (f.parallelismOrDefault() > policy.maxParallelism()) {
        out.add(
            rule(
                "spec.flink.parallelism",
                "must be at most " + policy.maxParallelism(),
                "maxParallelism"));
      }
    }
  }

  private static void enginePod(
      NamespacePolicy policy, String path, Double cpu, long memory, List<FieldError> out) {
    if (cpu != null
        && java.math.BigDecimal.valueOf(cpu)
                .compareTo(io.sluice.job.KubernetesSyntax.amount(policy.maxCpu()))
            > 0) {
      out.add(
          rule(
              path + (path.startsWith("spec.flink") ? ".cpu" : ".cores"),
              "must be at most " + policy.maxCpu(),
              "maxCpu"));
    }
    if (java.math.BigDecimal.valueOf(memory)
            .compareTo(io.sluice.job.KubernetesSyntax.amount(policy.maxMemory()))
        > 0) {
      out.add(
          rule(
              path + ".memory",
              "the pod's memory ("
                  + PodTotals.bytes(java.math.BigDecimal.valueOf(memory))
                  + " with overhead) must be at most "
                  + policy.maxMemory(),
              "maxMemory"));
    }
  }

  /** A replica or parallelism count set outside the spec (the scale endpoint). */
  public static Optional<FieldError> scale(NamespacePolicy policy, Workload workload, int count) {
    boolean replicas = workload == Workload.SERVICE || workload == Workload.STATEFUL;
    int max = replicas ? policy.maxReplicas() : policy.maxParallelism();
    String rule = replicas ? "maxReplicas" : "maxParallelism";
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
