package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.sluice.job.PodIssue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Reads why pods are stuck or failing off their status, the way {@code kubectl describe pod} shows
 * it: the scheduler's Unschedulable message, a container waiting to be pulled or configured or
 * restarted, the reason and exit code of its last termination, an eviction. Pure; the status
 * observer turns them into a job's or run's message and keeps them structured beside it.
 */
public final class PodIssues {
  private PodIssues() {}

  /** Most issues kept per job or run: enough to see a pattern, bounded for a big job. */
  public static final int MAX = 10;

  /** Waiting reasons that mean the container cannot start (not a normal ContainerCreating). */
  public static final Set<String> STUCK =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError",
          "CrashLoopBackOff",
          "PreCreateHookError",
          "PostStartHookError");

  private static PodIssue issue(
      String pod, String container, String reason, String message, Integer exit, Integer restarts) {
    return new PodIssue(pod, container, reason, clip(message), exit, restarts);
  }

  public static List<PodIssue> of(List<Pod> pods) {
    List<PodIssue> out = new ArrayList<>();
    pods.stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> out.addAll(ofPod(p)));
    return out.size() > MAX ? List.copyOf(out.subList(0, MAX)) : List.copyOf(out);
  }

  static List<PodIssue> ofPod(Pod pod) {
    String name = pod.getMetadata().getName();
    var status = pod.getStatus();
    List<PodIssue> out = new ArrayList<>();
    if (status == null) {
      return out;
    }
    if ("Failed".equals(status.getPhase()) && status.getReason() != null) {
      out.add(issue(name, null, status.getReason(), status.getMessage(), null, null));
    }
    for (PodCondition c :
        status.getConditions() == null ? List.<PodCondition>of() : status.getConditions()) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
        out.add(
            issue(
                name,
                null,
                c.getReason() == null ? "Unschedulable" : c.getReason(),
                c.getMessage(),
                null,
                null));
      }
    }
    for (ContainerStatus c :
        status.getContainerStatuses() == null
            ? List.<ContainerStatus>of()
            : status.getContainerStatuses()) {
      container(name, c, out);
    }
    return out;
  }

  private static void container(String pod, ContainerStatus c, List<PodIssue> out) {
    int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
    ContainerStateTerminated last =
        c.getLastState() == null ? null : c.getLastState().getTerminated();
    var state = c.getState();
    if (state != null
        && state.getWaiting() != null
        && STUCK.contains(state.getWaiting().getReason())) {
      String message = state.getWaiting().getMessage();
      if (last != null && last.getReason() != null) {
        message = (message == null ? "" : message + "; ") + "last ended: " + last.getReason();
      }
      out.add(
          issue(
              pod,
              c.getName(),
              state.getWaiting().getReason(),
              message,
              last == null ? null : last.getExitCode(),
              restarts));
      return;
    }
    ContainerStateTerminated now = state == null ? null : state.getTerminated();
    if (now != null && now.getExitCode() != null && now.getExitCode() != 0) {
      out.add(
          issue(
              pod,
              c.getName(),
              now.getReason() == null ? "Error" : now.getReason(),
              now.getMessage(),
              now.getExitCode(),
              restarts));
      return;
    }
    if (restarts > 0 && last != null && last.getExitCode() != null && last.getExitCode() != 0) {
      out.add(
          issue(
              pod,
              c.getName(),
              last.getReason() == null ? "Error" : last.getReason(),
              "restarted after it ended",
              last.getExitCode(),
              restarts));
    }
  }

  /** Longest message kept: a container writes its own termination message, of up to 4 KiB. */
  static final int MAX_MESSAGE = 512;

  private static String clip(String message) {
    return message == null || message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE) + "…";
  }

  /** The issues in plain words: the first one, and how many more there are. */
  public static String summary(List<PodIssue> issues) {
    if (issues.isEmpty()) {
      return null;
    }
    String first = issues.get(0).describe();
    return issues.size() == 1 ? first : first + " (and " + (issues.size() - 1) + " more)";
  }
}
