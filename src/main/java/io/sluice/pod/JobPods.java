package io.sluice.pod;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.job.JobResponse;
import io.sluice.render.Labels;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job's pods and the Kubernetes Events about its objects, read from the Kubernetes API on request
 * (as logs are): pods by the job's label, events of the namespace narrowed to the job's objects.
 * Listing events on request, bounded, rather than watching them: a cluster's events are many and
 * short-lived, and a cache of them all would grow with every tenant's activity.
 */
@ApplicationScoped
public class JobPods {
  static final int MAX_EVENTS = 100;

  /** What Sluice does with Events, and so all its RBAC role grants on them. */
  public static final List<String> EVENT_VERBS = List.of("list");

  /** Events listed per request, at most: the namespace's newest ones past it are not shown. */
  static final long EVENT_PAGE = 500;

  private final KubernetesClient client;

  public JobPods(KubernetesClient client) {
    this.client = client;
  }

  public PodList list(JobResponse job) {
    try {
      List<Pod> pods = pods(job);
      Set<String> objects = new HashSet<>();
      pods.forEach(p -> objects.add(p.getMetadata().getName()));
      objects.add(job.name());
      pods.forEach(p -> owners(p, objects));
      var events =
          client
              .v1()
              .events()
              .inNamespace(job.namespace())
              .list(
                  new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                      .withLimit(EVENT_PAGE)
                      .build())
              .getItems()
              .stream()
              .filter(e -> about(e, objects, job.name()))
              .map(PodViews::of)
              .sorted(
                  Comparator.comparing(
                          (ClusterEvent e) ->
                              e.lastSeen() == null ? java.time.OffsetDateTime.MIN : e.lastSeen())
                      .reversed())
              .limit(MAX_EVENTS)
              .toList();
      return new PodList(pods.stream().map(PodViews::of).toList(), events);
    } catch (KubernetesClientException e) {
      throw unavailable(e);
    }
  }

  /** One of the job's pods, by name; 404 when it is not the job's. */
  public Pod pod(JobResponse job, String name) {
    try {
      Pod pod = client.pods().inNamespace(job.namespace()).withName(name).get();
      Optional<String> owner =
          Optional.ofNullable(pod)
              .map(p -> p.getMetadata().getLabels())
              .map(l -> l.get(Labels.JOB_ID));
      if (owner.isEmpty() || !owner.get().equals(job.id().toString())) {
        throw new SluiceException(
            Reason.POD_NOT_FOUND, "Job " + job.name() + " has no pod named '" + name + "'");
      }
      return pod;
    } catch (KubernetesClientException e) {
      throw unavailable(e);
    }
  }

  private List<Pod> pods(JobResponse job) {
    return client
        .pods()
        .inNamespace(job.namespace())
        .withLabel(Labels.JOB_ID, job.id().toString())
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /** The pod's owners (its Job, ReplicaSet) are the job's objects too. */
  private static void owners(Pod pod, Set<String> objects) {
    if (pod.getMetadata().getOwnerReferences() != null) {
      pod.getMetadata().getOwnerReferences().forEach(o -> objects.add(o.getName()));
    }
    if (pod.getSpec().getVolumes() != null) {
      pod.getSpec().getVolumes().stream()
          .filter(v -> v.getPersistentVolumeClaim() != null)
          .forEach(v -> objects.add(v.getPersistentVolumeClaim().getClaimName()));
    }
  }

  private static SluiceException unavailable(KubernetesClientException e) {
    return new SluiceException(
        Reason.KUBERNETES_UNAVAILABLE,
        "The Kubernetes API did not answer (HTTP " + e.getCode() + "); retry later");
  }

  /** An event about one of the objects, or about one of the job's claims (named job.volume). */
  private static boolean about(Event e, Set<String> objects, String job) {
    String name = e.getInvolvedObject() == null ? null : e.getInvolvedObject().getName();
    return name != null && (objects.contains(name) || name.startsWith(job + "."));
  }
}
