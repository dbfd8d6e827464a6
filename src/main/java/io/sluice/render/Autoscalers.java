package io.sluice.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.sluice.job.JobSpec;
import java.util.Optional;

/** The HorizontalPodAutoscaler (autoscaling/v2) of a job whose spec asks for autoscaling. */
public final class Autoscalers {
  private Autoscalers() {}

  public static Optional<HorizontalPodAutoscaler> render(RenderInput job, HasMetadata target) {
    JobSpec.Autoscaling a = job.spec().autoscaling();
    if (a == null || job.suspended()) {
      return Optional.empty();
    }
    return Optional.of(
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(Workloads.metadata(job, Names.workload(job.name()), job.revision()))
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion(target.getApiVersion())
            .withKind(target.getKind())
            .withName(target.getMetadata().getName())
            .endScaleTargetRef()
            .withMinReplicas(a.minReplicas())
            .withMaxReplicas(a.maxReplicas())
            .addNewMetric()
            .withType("Resource")
            .withNewResource()
            .withName("cpu")
            .withNewTarget()
            .withType("Utilization")
            .withAverageUtilization(a.targetCPUUtilizationPercentage())
            .endTarget()
            .endResource()
            .endMetric()
            .endSpec()
            .build());
  }
}
