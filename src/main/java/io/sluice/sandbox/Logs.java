package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulated containers' output. A pod keeps its current container's log, and after a restart
 * its previous container's, in annotations the sandbox API server serves as {@code .../log} (with
 * {@code previous=true} for the latter). Each line carries its RFC 3339 timestamp, as the kubelet
 * keeps them; the log endpoint strips them unless asked for {@code timestamps=true}.
 */
final class Logs {
  static final String CURRENT = SandboxCluster.LOG_ANNOTATION;
  static final String PREVIOUS = "sandbox.sluice.io/previous-log";

  private Logs() {}

  /** The annotations that add {@code text} to the current container's log. */
  static Map<String, String> append(Pod pod, Instant now, String text) {
    return Map.of(CURRENT, current(pod) + lines(now, text));
  }

  /** The annotations of a restart: the current log becomes the previous one. */
  static Map<String, String> restart(Pod pod, Instant now, String text) {
    Map<String, String> out = new HashMap<>();
    out.put(PREVIOUS, current(pod));
    out.put(CURRENT, lines(now, text));
    return out;
  }

  /** What the simulated program prints when it starts: what it was given. */
  static String started(Pod pod) {
    var c = Kubelet.main(pod);
    StringBuilder s = new StringBuilder("Started container " + c.getName());
    if (c.getArgs() != null && !c.getArgs().isEmpty()) {
      s.append(" with args ").append(c.getArgs());
    }
    if (c.getVolumeMounts() != null) {
      c.getVolumeMounts()
          .forEach(
              m -> {
                if (io.sluice.render.ConfigMaps.MOUNT_PATH.equals(m.getMountPath())) {
                  s.append("\nConfig mounted at ").append(m.getMountPath());
                } else {
                  s.append("\nVolume ")
                      .append(m.getName())
                      .append(" mounted at ")
                      .append(m.getMountPath());
                }
              });
    }
    return s.toString();
  }

  private static String current(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? "" : annotations.getOrDefault(CURRENT, "");
  }

  private static String lines(Instant at, String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      out.append(Kubelet.timestamp(at)).append(' ').append(line).append('\n');
    }
    return out.toString();
  }
}
