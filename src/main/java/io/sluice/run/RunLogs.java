package io.sluice.run;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.render.Labels;
import io.sluice.render.PodTemplates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Optional;

/**
 * Reads a run's pod logs from the Kubernetes API. Logs live only in the cluster, so this is the one
 * read that goes there per request; lists and status come from PostgreSQL.
 */
@ApplicationScoped
public class RunLogs {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(RunLogs.class);

  private final KubernetesClient client;
  private final LogStreams streams;

  public RunLogs(KubernetesClient client, LogStreams streams) {
    this.client = client;
    this.streams = streams;
  }

  /**
   * The logs of the run's newest pod; with {@code follow}, a stream that ends with the pod, or when
   * the caller goes away. Followed streams count against {@code caller}'s and the replica's bound.
   */
  public StreamingOutput logs(RunEntity run, boolean follow, Integer tailLines, String caller) {
    Pod pod =
        newestPod(run)
            .orElseThrow(
                () ->
                    new SluiceException(
                        Reason.NO_POD_YET,
                        "Run "
                            + run.number
                            + " has no pod yet (phase "
                            + run.phase
                            + "); try again once it is RUNNING"));
    PodResource resource =
        client.pods().inNamespace(run.namespace).withName(pod.getMetadata().getName());
    try {
      var container = resource.inContainer(PodTemplates.CONTAINER);
      var logs = tailLines == null ? container : container.tailingLines(tailLines);
      if (!follow) {
        String text = logs.getLog();
        return out ->
            out.write(
                text == null
                    ? new byte[0]
                    : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      LogStreams.Slot slot = streams.acquire(caller);
      LogWatch watch;
      try {
        watch = logs.watchLog();
      } catch (RuntimeException e) {
        slot.close();
        throw e;
      }
      return out -> {
        try (slot;
            watch;
            InputStream in = watch.getOutput()) {
          byte[] buffer = new byte[8192];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
          }
        } catch (java.io.IOException | RuntimeException e) {
          // The caller hung up, or the API server ended the stream: the answer is already under
          // way, so the stream just ends (and its slot and API-server stream are released).
          LOG.debugf("Log stream of run %d ended: %s", run.number, e.getMessage());
        }
      };
    } catch (KubernetesClientException e) {
      throw unavailable(e);
    }
  }

  private Optional<Pod> newestPod(RunEntity run) {
    try {
      return client
          .pods()
          .inNamespace(run.namespace)
          .withLabel(Labels.JOB_ID, run.jobId.toString())
          .withLabel(Labels.RUN, Integer.toString(run.number))
          .list()
          .getItems()
          .stream()
          .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
    } catch (KubernetesClientException e) {
      throw unavailable(e);
    }
  }

  private static SluiceException unavailable(KubernetesClientException e) {
    return new SluiceException(
        Reason.KUBERNETES_UNAVAILABLE,
        "The Kubernetes API did not serve the logs (HTTP " + e.getCode() + "); retry later");
  }
}
