package io.sluice.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.job.JobSpec;
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
    }
    for (RenderInput.RunInput run : job.openRuns()) {
      if (run.createJob()) {
        desired.add(Desired.of(Workloads.runJob(job, run)));
      }
    }
    return desired;
  }

  /** The current revision's ConfigMap, plus those of older revisions that open runs still mount. */
  private static List<HasMetadata> configMaps(RenderInput job) {
    Map<String, HasMetadata> byName = new LinkedHashMap<>();
    ConfigMaps.render(job, job.spec(), job.revision())
        .ifPresent(c -> byName.put(c.getMetadata().getName(), c));
    for (RenderInput.RunInput run : job.openRuns()) {
      JobSpec spec = job.specOf(run.revision());
      ConfigMaps.render(job, spec, run.revision())
          .ifPresent(c -> byName.putIfAbsent(c.getMetadata().getName(), c));
    }
    return new ArrayList<>(byName.values());
  }
}
