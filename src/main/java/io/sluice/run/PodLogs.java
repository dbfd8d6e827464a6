package io.sluice.run;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Reads one container's log from the Kubernetes API, once or following it. A followed log stays
 * open until the container ends (or the pod goes, or the caller hangs up): when the API server ends
 * the stream while the container still runs (an API-server restart, a proxy timeout, the sandbox,
 * which serves no streams), it resumes from the last line sent — by timestamp, skipping what was
 * already sent — so the caller sees each line once.
 */
final class PodLogs {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(PodLogs.class);
  private static final long RESUME_PAUSE_MILLIS = 1000;

  private PodLogs() {}

  /** The log as it is now. */
  static String read(KubernetesClient client, String ns, String pod, LogRequest request) {
    try {
      var container =
          client
              .pods()
              .inNamespace(ns)
              .withName(pod)
              .inContainer(request.container())
              // Read what there is now: no informer waiting for the pod to become ready per read.
              .withReadyWaitTimeout(0);
      var stamped = request.timestamps() ? container.usingTimestamps() : container;
      TimeTailPrettyLoggable which = request.previous() ? stamped.terminated() : stamped;
      TailPrettyLoggable since =
          request.sinceSeconds() == null ? which : which.sinceSeconds(request.sinceSeconds());
      String text =
          request.tailLines() == null
              ? since.getLog()
              : since.tailingLines(request.tailLines()).getLog();
      return text == null ? "" : text;
    } catch (KubernetesClientException e) {
      throw refused(e, pod, request);
    }
  }

  /**
   * Follows the log into {@code out} until the container ends. Lines are read with their timestamps
   * (to resume by), which are stripped unless the caller asked for them.
   */
  static void follow(
      KubernetesClient client, String ns, String pod, LogRequest request, OutputStream out)
      throws IOException {
    Position position = new Position();
    boolean first = true;
    while (true) {
      boolean ended = ended(client, ns, pod, request.container());
      var container =
          client
              .pods()
              .inNamespace(ns)
              .withName(pod)
              .inContainer(request.container())
              .withReadyWaitTimeout(0)
              .usingTimestamps();
      TailPrettyLoggable since;
      if (first) {
        since =
            request.sinceSeconds() == null
                ? container
                : container.sinceSeconds(request.sinceSeconds());
      } else if (position.last == null) {
        since = container; // nothing sent yet: read it all
      } else {
        // sinceTime has second precision: ask from the second of the last line, skip what was sent.
        since = container.sinceTime(position.last.truncatedTo(ChronoUnit.SECONDS).toString());
        position.resume();
      }
      var loggable =
          first && request.tailLines() != null ? since.tailingLines(request.tailLines()) : since;
      try (LogWatch watch = loggable.watchLog();
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          position.send(line, request.timestamps(), out);
        }
      } catch (KubernetesClientException e) {
        if (first) {
          throw refused(e, pod, request);
        }
        LOG.debugf("Log stream of %s/%s ended: %s", ns, pod, e.getMessage());
      }
      first = false;
      if (ended) {
        return; // the container had ended before this read: it had all there is
      }
      try {
        Thread.sleep(RESUME_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Where a followed log got to: the last line's time, and how many lines of that time were sent.
   */
  private static final class Position {
    Instant last;
    private int sentAtLast;
    private int toSkip;

    /** A new read starts at the second of the last line: its lines already sent come again. */
    void resume() {
      toSkip = sentAtLast;
    }

    void send(String line, boolean timestamps, OutputStream out) throws IOException {
      int space = line.indexOf(' ');
      Instant at = space > 0 ? parse(line.substring(0, space)) : null;
      if (at == null) {
        write(line, out);
        return;
      }
      if (last != null && at.isBefore(last)) {
        return; // sent before this resume
      }
      if (at.equals(last)) {
        if (toSkip > 0) {
          toSkip--;
          return;
        }
        sentAtLast++;
      } else {
        last = at;
        sentAtLast = 1;
        toSkip = 0;
      }
      write(timestamps ? line : line.substring(space + 1), out);
    }

    private static void write(String line, OutputStream out) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private static Instant parse(String timestamp) {
      try {
        return Instant.parse(timestamp);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
  }

  /**
   * Waits while the container is being created (ContainerCreating, PodInitializing, not yet
   * scheduled); returns once it runs or has run. A container stuck waiting for a reason that will
   * not pass by itself, or still not started after {@code wait}, is refused with that reason.
   */
  static void awaitStart(
      KubernetesClient client, String ns, String pod, String container, java.time.Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Pod p;
      try {
        p = client.pods().inNamespace(ns).withName(pod).get();
      } catch (KubernetesClientException e) {
        throw refused(e, pod, null);
      }
      if (p == null) {
        throw new SluiceException(Reason.POD_NOT_FOUND, "Pod " + pod + " is gone");
      }
      String waiting = waitingReason(p, container);
      if (waiting == null && started(p, container)) {
        return;
      }
      if (waiting != null && io.sluice.reconcile.PodIssues.STUCK.contains(waiting)) {
        throw new SluiceException(
            Reason.NO_POD_YET,
            "Container " + container + " of pod " + pod + " cannot start: " + waiting);
      }
      if (System.nanoTime() > deadline) {
        throw new SluiceException(
            Reason.NO_POD_YET,
            "Container " + container + " of pod " + pod + " has not started yet; try again");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SluiceException(Reason.NO_POD_YET, "Interrupted while waiting for pod " + pod);
      }
    }
  }

  private static ContainerStatus status(Pod p, String container) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return p.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()))
        .findFirst()
        .orElse(null);
  }

  private static String waitingReason(Pod p, String container) {
    ContainerStatus s = status(p, container);
    return s == null || s.getState() == null || s.getState().getWaiting() == null
        ? null
        : s.getState().getWaiting().getReason();
  }

  private static boolean started(Pod p, String container) {
    ContainerStatus s = status(p, container);
    return s != null
        && s.getState() != null
        && (s.getState().getRunning() != null || s.getState().getTerminated() != null);
  }

  /** The container has ended for good: terminated in a pod that will not restart it, or gone. */
  static boolean ended(KubernetesClient client, String ns, String pod, String container) {
    Pod p = client.pods().inNamespace(ns).withName(pod).get();
    if (p == null || p.getStatus() == null) {
      return p == null;
    }
    String phase = p.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return true;
    }
    if (p.getStatus().getContainerStatuses() == null) {
      return false;
    }
    for (ContainerStatus s : p.getStatus().getContainerStatuses()) {
      if (container.equals(s.getName())
          && s.getState() != null
          && s.getState().getTerminated() != null
          && "Never".equals(p.getSpec().getRestartPolicy())) {
        return true;
      }
    }
    return false;
  }

  private static SluiceException refused(KubernetesClientException e, String pod, LogRequest r) {
    String container = r == null ? "main" : r.container();
    if (e.getCode() == 400 || e.getCode() == 404) {
      // The API server's own words: a container waiting to start, no previous container...
      String why =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : "no log";
      return new SluiceException(
          Reason.NO_POD_YET, "No log of container " + container + " of pod " + pod + ": " + why);
    }
    return new SluiceException(
        Reason.KUBERNETES_UNAVAILABLE,
        "The Kubernetes API did not serve the logs (HTTP " + e.getCode() + "); retry later");
  }
}
