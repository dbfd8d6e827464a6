package io.sluice.job;

/**
 * Filters of the job lists, parsed from query parameters (bad values answer 400).
 *
 * @param visible the namespaces the caller may see; null for all
 */
public record JobFilter(
    String namespace,
    JobType type,
    Workload workload,
    JobPhase phase,
    LabelSelector selector,
    java.util.Set<String> visible) {

  /** This filter, narrowed to what the caller may see. */
  public JobFilter within(java.util.Optional<java.util.Set<String>> namespaces) {
    return new JobFilter(namespace, type, workload, phase, selector, namespaces.orElse(null));
  }

  public static JobFilter of(
      String namespace, String type, String workload, String phase, String labelSelector) {
    return new JobFilter(
        namespace,
        io.sluice.api.Params.optionalEnum("type", type, JobType.class),
        io.sluice.api.Params.optionalEnum("workload", workload, Workload.class),
        io.sluice.api.Params.optionalEnum("phase", phase, JobPhase.class),
        LabelSelector.parse(labelSelector),
        null);
  }
}
