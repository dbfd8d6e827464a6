package io.sluice.pod;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.sluice.job.JobMapper;
import io.sluice.reconcile.PodIssues;
import io.sluice.render.Labels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Turns pods and events into what the API shows, as kubectl would summarise them. Pure. */
final class PodViews {
  private PodViews() {}

  static PodView of(Pod pod) {
    List<ContainerStatus> statuses =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    int ready = (int) statuses.stream().filter(s -> Boolean.TRUE.equals(s.getReady())).count();
    int restarts =
        statuses.stream()
            .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount())
            .sum();
    var labels = pod.getMetadata().getLabels();
    return new PodView(
        pod.getMetadata().getName(),
        pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase(),
        status(pod, statuses),
        ready,
        pod.getSpec().getContainers().size(),
        restarts,
        lastTermination(statuses),
        pod.getSpec().getNodeName(),
        labels == null ? null : integer(labels.get(Labels.RUN)),
        Labels.revision(pod.getMetadata()),
        time(pod.getMetadata().getCreationTimestamp()),
        emptyToNull(PodIssues.of(List.of(pod))));
  }

  /** kubectl's STATUS column: the pod's reason, else a container's waiting or ending reason. */
  static String status(Pod pod, List<ContainerStatus> statuses) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return "Terminating";
    }
    String phase = pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
    String reason =
        pod.getStatus() != null && pod.getStatus().getReason() != null
            ? pod.getStatus().getReason()
            : phase;
    for (ContainerStatus s : statuses) {
      var state = s.getState();
      if (state == null) {
        continue;
      }
      if (state.getWaiting() != null && state.getWaiting().getReason() != null) {
        return state.getWaiting().getReason();
      }
      if (state.getTerminated() != null) {
        if (state.getTerminated().getReason() != null) {
          reason = state.getTerminated().getReason();
        } else {
          reason = "ExitCode:" + state.getTerminated().getExitCode();
        }
      }
    }
    return reason;
  }

  private static PodView.Termination lastTermination(List<ContainerStatus> statuses) {
    for (ContainerStatus s : statuses) {
      var t =
          s.getState() != null && s.getState().getTerminated() != null
              ? s.getState().getTerminated()
              : s.getLastState() == null ? null : s.getLastState().getTerminated();
      if (t != null) {
        return new PodView.Termination(
            s.getName(), t.getReason(), t.getExitCode(), time(t.getFinishedAt()));
      }
    }
    return null;
  }

  static ClusterEvent of(Event e) {
    var involved = e.getInvolvedObject();
    String source =
        e.getSource() == null ? e.getReportingComponent() : e.getSource().getComponent();
    String first =
        e.getFirstTimestamp() != null
            ? e.getFirstTimestamp()
            : e.getEventTime() == null ? null : e.getEventTime().getTime();
    String last = e.getLastTimestamp() != null ? e.getLastTimestamp() : first;
    return new ClusterEvent(
        e.getType(),
        e.getReason(),
        e.getMessage(),
        involved.getKind() + "/" + involved.getName(),
        source,
        e.getCount() == null ? 1 : e.getCount(),
        time(first),
        time(last));
  }

  static java.time.OffsetDateTime time(String timestamp) {
    try {
      return timestamp == null ? null : JobMapper.utc(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Integer integer(String value) {
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static <T> List<T> emptyToNull(List<T> list) {
    return list.isEmpty() ? null : list;
  }
}
