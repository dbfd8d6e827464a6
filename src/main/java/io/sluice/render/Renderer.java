package io.sluice.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a job snapshot into the Kubernetes objects it should have, in the order they are applied
 * (claims and config before the pods that mount them, owners before what they own). A pure
 * function: no I/O, no clock, no randomness; the same input always renders the same objects.
 */
public final class Renderer {
  private Renderer() {}

  /**
   * The version of what rendering produces (and of how the applier compares it), part of every
   * job's pass fingerprint: a Sluice that renders differently must not skip a job whose objects an
   * older one rendered. Raise it with any change to what is rendered or compared; {@code
   * RenderVersionTest} fails until it is raised when rendered objects change.
   */
  public static final int VERSION = 1;

  public static List<Desired> render(RenderInput job) {
    List<Desired> desired = new ArrayList<>();
    if (job.workload() != io.sluice.job.Workload.STATEFUL) {
      Claims.standalone(job).forEach(c -> desired.add(Desired.of(c)));
    }
    configMaps(job).forEach(c -> desired.add(Desired.of(c)));
    switch (job.workload()) {
      case BATCH -> {}
      case SCHEDULED -> desired.add(Desired.of(Workloads.cronJob(job)));
      case SERVICE -> {
        HasMetadata deployment = Workloads.deployment(job);
        desired.add(Desired.of(deployment));
        Autoscalers.render(job, deployment)
            .ifPresent(h -> desired.add(Desired.ownedBy(h, deployment)));
        if (!job.spec().portsOrEmpty().isEmpty()) {
          desired.add(Desired.ownedBy(Services.clusterIp(job), deployment));
        }
      }
      case STATEFUL -> {
        HasMetadata statefulSet = Workloads.statefulSet(job);
        desired.add(Desired.of(statefulSet));
        Autoscalers.render(job, statefulSet)
            .ifPresent(h -> desired.add(Desired.ownedBy(h, statefulSet)));
        desired.add(Desired.ownedBy(Services.headless(job), statefulSet));
      }
      case SPARK -> {}
      case FLINK -> desired.add(Desired.of(FlinkDeployments.render(job)));
    }
    for (RenderInput.RunInput run : job.openRuns()) {
      if (run.createJob() && submits(job.workload(), job.suspended())) {
        desired.add(
            Desired.of(
                job.workload() == io.sluice.job.Workload.SPARK
                    ? SparkApplications.render(job, run)
                    : Workloads.runJob(job, run)));
      }
    }
    return desired;
  }

  /**
   * Whether new runs are submitted now: a suspended spark job holds its runs back (a run's Job is
   * created suspended instead, which a SparkApplication cannot be on every operator version).
   */
  public static boolean submits(io.sluice.job.Workload workload, boolean suspended) {
    return !(workload == io.sluice.job.Workload.SPARK && suspended);
  }

  /** The current revision's ConfigMap, plus those of older revisions that open runs still mount. */
  private static List<HasMetadata> configMaps(RenderInput job) {
    // Once per revision: a job running many runs of one revision needs its ConfigMap once.
    java.util.Set<Integer> revisions = new java.util.LinkedHashSet<>();
    revisions.add(job.revision());
    job.openRuns().forEach(run -> revisions.add(run.revision()));
    Map<String, HasMetadata> byName = new LinkedHashMap<>();
    for (int revision : revisions) {
      ConfigMaps.render(job, job.specOf(revision), revision)
          .ifPresent(c -> byName.putIfAbsent(c.getMetadata().getName(), c));
    }
    return new ArrayList<>(byName.values());
  }
}
