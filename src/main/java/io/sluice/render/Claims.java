package io.sluice.render;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.sluice.job.JobSpec;
import java.util.List;
import java.util.Map;

/**
 * PersistentVolumeClaims of a job. They carry no owner: they outlive runs, pods and spec changes,
 * and are removed only when the job is deleted with {@code purgeVolumes}.
 */
public final class Claims {
  private Claims() {}

  /** Standalone claims, for batch, scheduled and service workloads. */
  public static List<PersistentVolumeClaim> standalone(RenderInput job) {
    return job.spec().volumesOrEmpty().stream()
        .map(v -> claim(job, v, Names.claim(job.name(), v.name())))
        .toList();
  }

  /** Claim templates of a StatefulSet: one claim per replica, named by Kubernetes. */
  public static List<PersistentVolumeClaim> templates(RenderInput job) {
    return job.spec().volumesOrEmpty().stream().map(v -> claim(job, v, v.name())).toList();
  }

  private static PersistentVolumeClaim claim(RenderInput job, JobSpec.VolumeSpec v, String name) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(job.namespace())
        .withLabels(Labels.of(job))
        .endMetadata()
        .withNewSpec()
        .withAccessModes(v.accessModesOrDefault().stream().map(Enum::name).toList())
        .withStorageClassName(v.storageClass())
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(v.size())))
        .endResources()
        .endSpec()
        .build();
  }
}
