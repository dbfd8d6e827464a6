package io.sluice.run;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Answers log reads: a run's newest pod or a pod by name, live from the Kubernetes API while the
 * pod exists, else (for a run that ended) what {@link LogKeeper} kept. Logs live in the cluster, so
 * this is the one read that goes there per request; lists and status come from PostgreSQL.
 */
@ApplicationScoped
public class RunLogs {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(RunLogs.class);

  /** Where an answer's lines come from: the pod now, or the copy kept when the run ended. */
  public enum Source {
    live,
    kept
  }

  /** A log answer: its body and where it came from. */
  public record Answer(StreamingOutput body, Source source) {}

  /** How long a follow waits for a container that is still being created. */
  static final java.time.Duration START_WAIT = java.time.Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final LogStreams streams;
  private final KeptLogs kept;

  public RunLogs(KubernetesClient client, LogStreams streams, KeptLogs kept) {
    this.client = client;
    this.streams = streams;
    this.kept = kept;
  }

  /** The logs of the run's newest pod; when its pods are gone, the ones kept when it ended. */
  public Answer logs(RunEntity run, LogRequest request, String caller) {
    Optional<Pod> pod = newestPod(run);
    if (pod.isPresent()) {
      String container = RunPods.container(pod.get(), request.container());
      return live(
          run.namespace,
          pod.get().getMetadata().getName(),
          new LogRequest(
              request.follow(),
              request.tailLines(),
              request.sinceSeconds(),
              container,
              request.previous(),
              request.timestamps()),
          caller);
    }
    if (!run.phase.isTerminal()) {
      throw new SluiceException(
          Reason.NO_POD_YET,
          "Run "
              + run.number
              + " has no pod yet (phase "
              + run.phase
              + (run.message == null ? "" : ": " + run.message)
              + "); try again once it is RUNNING");
    }
    if (request.previous()) {
      throw new SluiceException(
          Reason.LOGS_NOT_KEPT,
          "Run " + run.number + "'s pods are gone; only the last container's log is kept");
    }
    KeptLogs.Kept log =
        kept.find(run.id, request.container())
            .or(
                () ->
                    io.sluice.render.PodTemplates.CONTAINER.equals(request.container())
                        ? kept.find(run.id, io.sluice.engine.SparkApplication.DRIVER_CONTAINER)
                        : Optional.empty())
            .orElseThrow(
                () ->
                    new SluiceException(
                        Reason.LOGS_NOT_KEPT,
                        "Run "
                            + run.number
                            + "'s pods are gone and no log of container "
                            + request.container()
                            + " was kept (it ended before Sluice could copy it, or its logs"
                            + " passed their retention)"));
    String text = select(log.text(), request);
    return new Answer(out -> out.write(text.getBytes(StandardCharsets.UTF_8)), Source.kept);
  }

  /** The logs of a pod by name; it must be one of the job's. */
  public Answer live(String namespace, String pod, LogRequest request, String caller) {
    if (!request.follow()) {
      String text = PodLogs.read(client, namespace, pod, request);
      return new Answer(out -> out.write(text.getBytes(StandardCharsets.UTF_8)), Source.live);
    }
    LogStreams.Slot slot = streams.acquire(caller);
    try {
      // A container still being created is waited for; one stuck (an image that cannot be pulled,
      // a missing Secret) or absent is refused before the answer starts, saying why.
      PodLogs.awaitStart(client, namespace, pod, request.container(), START_WAIT);
      PodLogs.read(
          client,
          namespace,
          pod,
          new LogRequest(false, 1, null, request.container(), false, false));
    } catch (RuntimeException e) {
      slot.close();
      throw e;
    }
    return new Answer(
        out -> {
          try (slot) {
            PodLogs.follow(client, namespace, pod, request, out);
          } catch (java.io.IOException | RuntimeException e) {
            // The caller hung up, or the API server failed mid-stream: the answer is under way, so
            // it just ends (and the slot is released).
            LOG.debugf("Log stream of %s/%s ended: %s", namespace, pod, e.getMessage());
          }
        },
        Source.live);
  }

  /**
   * A kept log as the request selects it: lines of the last seconds, the last lines, timestamps.
   */
  static String select(String text, LogRequest request) {
    Instant since =
        request.sinceSeconds() == null ? null : Instant.now().minusSeconds(request.sinceSeconds());
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      Instant at = null;
      if (space > 0) {
        try {
          at = Instant.parse(line.substring(0, space));
        } catch (java.time.format.DateTimeParseException e) {
          at = null; // the truncation marker, or a line without a timestamp
        }
      }
      if (since != null && at != null && at.isBefore(since)) {
        continue;
      }
      lines.add(at == null || request.timestamps() ? line : line.substring(space + 1));
    }
    if (request.tailLines() != null && lines.size() > request.tailLines()) {
      lines = lines.subList(lines.size() - request.tailLines(), lines.size());
    }
    StringBuilder out = new StringBuilder();
    lines.forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }

  /** The run's newest pod: of its Kubernetes Job, or its Spark driver. */
  private Optional<Pod> newestPod(RunEntity run) {
    try {
      return RunPods.newest(client, run.namespace, run.jobId, run.k8sName, run.number);
    } catch (KubernetesClientException e) {
      throw new SluiceException(
          Reason.KUBERNETES_UNAVAILABLE,
          "The Kubernetes API did not serve the logs (HTTP " + e.getCode() + "); retry later");
    }
  }
}
