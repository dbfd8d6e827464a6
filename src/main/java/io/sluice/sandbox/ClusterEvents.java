package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes core/v1 Events the way the scheduler, kubelet and controllers do (FailedScheduling,
 * FailedMount, BackOff, Killing...): one Event per object and reason, its count and last timestamp
 * raised when it happens again, at most every few seconds, and dropped an hour after it last
 * happened (the API server's default event TTL).
 */
final class ClusterEvents {
  private static final Duration REPEAT = Duration.ofSeconds(10);
  private static final Duration TTL = Duration.ofHours(1);

  private final KubernetesClient client;
  private final Map<String, Instant> lastWritten = new HashMap<>();
  private Instant lastPurge = Instant.EPOCH;

  ClusterEvents(KubernetesClient client) {
    this.client = client;
  }

  void warning(HasMetadata about, String reason, String message, String component, Instant now) {
    record(about, "Warning", reason, message, component, now);
  }

  void normal(HasMetadata about, String reason, String message, String component, Instant now) {
    record(about, "Normal", reason, message, component, now);
  }

  private void record(
      HasMetadata about,
      String type,
      String reason,
      String message,
      String component,
      Instant now) {
    String ns = about.getMetadata().getNamespace();
    String name = eventName(about, reason);
    String key = ns + "/" + name;
    Instant previous = lastWritten.get(key);
    if (previous != null && previous.plus(REPEAT).isAfter(now)) {
      return;
    }
    lastWritten.put(key, now);
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      Event existing = client.v1().events().inNamespace(ns).withName(name).get();
      if (existing != null) {
        client
            .v1()
            .events()
            .inNamespace(ns)
            .withName(name)
            .edit(
                e -> {
                  e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                  e.setLastTimestamp(at);
                  e.setMessage(message);
                  return e;
                });
        return;
      }
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(about.getApiVersion())
                  .withKind(about.getKind())
                  .withName(about.getMetadata().getName())
                  .withNamespace(ns)
                  .withUid(about.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withCount(1)
                  .withFirstTimestamp(at)
                  .withLastTimestamp(at)
                  .withNewSource()
                  .withComponent(component)
                  .withHost(component.equals("kubelet") ? SandboxNode.NAME : null)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: losing one must not stop the simulation.
      lastWritten.remove(key);
    }
  }

  /** Drops events an hour after they last happened. */
  void purge(Instant now) {
    if (lastPurge.plus(Duration.ofMinutes(1)).isAfter(now)) {
      return;
    }
    lastPurge = now;
    Instant cutoff = now.minus(TTL);
    for (Event e : client.v1().events().inAnyNamespace().list().getItems()) {
      String last = e.getLastTimestamp();
      if (last != null && Instant.parse(last).isBefore(cutoff)) {
        client.v1().events().inNamespace(e.getMetadata().getNamespace()).resource(e).delete();
      }
    }
    lastWritten.values().removeIf(t -> t.isBefore(cutoff));
  }

  private static String eventName(HasMetadata about, String reason) {
    String suffix = Integer.toHexString((about.getMetadata().getName() + "/" + reason).hashCode());
    return about.getMetadata().getName() + "." + suffix;
  }
}
