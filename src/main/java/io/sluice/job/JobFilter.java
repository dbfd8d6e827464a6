package io.sluice.job;

/** Filters of the job lists, parsed from query parameters (bad values answer 400). */
public record JobFilter(
    String namespace, JobType type, Workload workload, JobPhase phase, LabelSelector selector) {

  public static JobFilter of(
      String namespace, String type, String workload, String phase, String labelSelector) {
    return new JobFilter(
        namespace,
        io.sluice.api.Params.optionalEnum("type", type, JobType.class),
        io.sluice.api.Params.optionalEnum("workload", workload, Workload.class),
        io.sluice.api.Params.optionalEnum("phase", phase, JobPhase.class),
        LabelSelector.parse(labelSelector));
  }
}
