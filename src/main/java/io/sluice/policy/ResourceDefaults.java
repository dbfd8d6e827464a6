package io.sluice.policy;

import io.sluice.job.JobSpec;
import io.sluice.job.KubernetesSyntax;

/**
 * Fills in the CPU and memory a job leaves unset from its namespace's defaults, as a LimitRange
 * would, so that omitting {@code resources} never yields a pod without limits. Applied when a spec
 * is written (the stored revision shows what the pods get); the maxima are checked on the result. A
 * default above the namespace's maximum is lowered to it; a limit defaults to at least the request
 * given, and a request to at most its limit.
 */
public final class ResourceDefaults {
  private ResourceDefaults() {}

  public static JobSpec apply(NamespacePolicy policy, JobSpec spec) {
    if (spec.spark() != null || spec.flink() != null) {
      // Spark and Flink size their pods from their own fields (driver, executor, job and task
      // managers), which have defaults of their own.
      return spec;
    }
    JobSpec.Resources given = spec.resources();
    JobSpec.ResourceList requests = given == null ? null : given.requests();
    JobSpec.ResourceList limits = given == null ? null : given.limits();
    // A limit defaults to at least the request the job gave (else the pod would be invalid).
    String cpuLimit =
        orDefault(
            limits == null ? null : limits.cpu(),
            min(
                max(policy.defaultCpuLimit(), requests == null ? null : requests.cpu()),
                policy.maxCpu()));
    String memoryLimit =
        orDefault(
            limits == null ? null : limits.memory(),
            min(
                max(policy.defaultMemoryLimit(), requests == null ? null : requests.memory()),
                policy.maxMemory()));
    String cpuRequest =
        orDefault(
            requests == null ? null : requests.cpu(), min(policy.defaultCpuRequest(), cpuLimit));
    String memoryRequest =
        orDefault(
            requests == null ? null : requests.memory(),
            min(policy.defaultMemoryRequest(), memoryLimit));
    JobSpec.Resources filled =
        new JobSpec.Resources(
            new JobSpec.ResourceList(cpuRequest, memoryRequest),
            new JobSpec.ResourceList(cpuLimit, memoryLimit));
    return filled.equals(given) ? spec : spec.withResources(filled);
  }

  private static String orDefault(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static String max(String a, String b) {
    if (b == null || !KubernetesSyntax.isQuantity(a) || !KubernetesSyntax.isQuantity(b)) {
      return a;
    }
    return KubernetesSyntax.amount(a).compareTo(KubernetesSyntax.amount(b)) >= 0 ? a : b;
  }

  /** The smaller quantity; a value that is not a quantity is left for validation to report. */
  private static String min(String a, String b) {
    if (!KubernetesSyntax.isQuantity(a) || !KubernetesSyntax.isQuantity(b)) {
      return a;
    }
    return KubernetesSyntax.amount(a).compareTo(KubernetesSyntax.amount(b)) <= 0 ? a : b;
  }
}
