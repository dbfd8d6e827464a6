package floor;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The watches Sluice keeps (reconcile/ClusterCache's kinds, with its label selector), started at
 * start-up; ready once each has listed its kind, as Sluice's readiness asks.
 */
@Readiness
@Singleton
public class Watches implements HealthCheck {
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          HorizontalPodAutoscaler.class,
          CronJob.class,
          Deployment.class,
          StatefulSet.class,
          Service.class,
          ConfigMap.class,
          Job.class,
          Pod.class,
          PersistentVolumeClaim.class);

  private final List<SharedIndexInformer<? extends HasMetadata>> informers =
      new CopyOnWriteArrayList<>();

  void start(@Observes StartupEvent event, KubernetesClient client) {
    for (Class<? extends HasMetadata> kind : KINDS) {
      SharedIndexInformer<? extends HasMetadata> informer =
          client
              .resources(kind)
              .inAnyNamespace()
              .withLabel("app.kubernetes.io/managed-by", "sluice")
              .runnableInformer(300_000);
      informer.start();
      informers.add(informer);
    }
  }

  @Override
  public HealthCheckResponse call() {
    boolean synced =
        !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    return HealthCheckResponse.named("kubernetes-watches").status(synced).build();
  }
}
