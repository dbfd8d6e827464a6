package io.sluice.run;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.engine.SparkApplication;
import io.sluice.render.Labels;
import io.sluice.render.PodTemplates;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The pod whose log is a run's log: the newest pod of its Kubernetes Job (labelled by the Job
 * controller with the Job's name), or, for a Spark run, its driver (labelled by Sluice with the run
 * and by Spark with its role). One place, for the log reader and the log keeper.
 */
final class RunPods {
  private RunPods() {}

  static Optional<Pod> newest(
      KubernetesClient client, String namespace, UUID jobId, String k8sName, int number) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(Labels.KUBERNETES_JOB_NAME, k8sName)
            .withLabel(Labels.JOB_ID, jobId.toString())
            .list()
            .getItems();
    if (pods.isEmpty()) {
      pods =
          client
              .pods()
              .inNamespace(namespace)
              .withLabel(Labels.JOB_ID, jobId.toString())
              .withLabel(Labels.RUN, Integer.toString(number))
              .withLabel(SparkApplication.ROLE_LABEL, SparkApplication.DRIVER_ROLE)
              .list()
              .getItems();
    }
    return pods.stream()
        .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
  }

  /**
   * The container a request means: the one it names, except that the default ({@code main}) on a
   * Spark driver, which has no such container, means the driver's.
   */
  static String container(Pod pod, String requested) {
    if (PodTemplates.CONTAINER.equals(requested) && isSparkDriver(pod)) {
      return SparkApplication.DRIVER_CONTAINER;
    }
    return requested;
  }

  static boolean isSparkDriver(Pod pod) {
    return pod.getMetadata().getLabels() != null
        && SparkApplication.DRIVER_ROLE.equals(
            pod.getMetadata().getLabels().get(SparkApplication.ROLE_LABEL));
  }
}
