package io.sluice.sandbox;

import com.cronutils.model.time.ExecutionTime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.job.CronSchedule;
import io.sluice.job.SpecCodec;
import io.sluice.render.Labels;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The sandbox's kubelet and controllers, for Sluice's own objects: pods appear for Jobs,
 * Deployments and StatefulSets and move Pending → Running → Succeeded (or Failed, when the image
 * name contains {@code fail}; a long-running pod whose image contains {@code fail} or {@code crash}
 * never becomes ready); Deployments and StatefulSets report ready replicas and roll to new
 * templates; CronJobs start Jobs on schedule; claims are bound; pods produce logs. The Spark and
 * Flink operators are played too ({@link SparkOperatorSim}, {@link FlinkOperatorSim}) where their
 * CRDs are installed ({@link SandboxOperators}).
 */
public class Simulator {
  private static final Logger LOG = Logger.getLogger(Simulator.class);
  static final String HASH_LABEL = "pod-template-hash";
  static final String JOB_NAME_LABEL = Labels.KUBERNETES_JOB_NAME;

  private final KubernetesClient client;
  private final SandboxNode node;
  private final Duration tick;
  private final ClusterEvents events;
  private final Kubelet kubelet;
  private volatile boolean running;
  private Thread thread;

  public Simulator(
      KubernetesClient client, Duration startDelay, Duration runDuration, Duration tick) {
    this(client, SandboxNode.defaults(), startDelay, runDuration, tick);
  }

  public Simulator(
      KubernetesClient client,
      SandboxNode node,
      Duration startDelay,
      Duration runDuration,
      Duration tick) {
    this.client = client;
    this.node = node;
    this.tick = tick;
    this.events = new ClusterEvents(client);
    this.kubelet = new Kubelet(client, events, node, startDelay, runDuration);
    this.spark = new SparkOperatorSim(client, this, kubelet);
    this.flink = new FlinkOperatorSim(client, this, kubelet);
  }

  private final SparkOperatorSim spark;
  private final FlinkOperatorSim flink;
  private volatile java.util.Set<String> operators = java.util.Set.of("spark", "flink");

  /** Which engine operators this cluster plays ({@code spark}, {@code flink}); both by default. */
  public void operators(java.util.Collection<String> names) {
    this.operators = java.util.Set.copyOf(names);
  }

  public void start() {
    running = true;
    thread = new Thread(this::loop, "sluice-sandbox-simulator");
    thread.setDaemon(true);
    thread.start();
  }

  public void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void loop() {
    while (running) {
      try {
        step(Instant.now());
      } catch (KubernetesClientException e) {
        LOG.debugf("Simulator step failed: %s", e.getMessage());
      } catch (RuntimeException e) {
        LOG.warnf(e, "Simulator step failed");
      }
      try {
        Thread.sleep(tick.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One pass of every simulated controller. Public so tests can drive time themselves. */
  public void step(Instant now) {
    managed(CronJob.class).forEach(c -> cronJob(c, now));
    managed(Job.class).forEach(j -> job(j, now));
    managed(Deployment.class).forEach(d -> deployment(d, now));
    managed(StatefulSet.class).forEach(s -> statefulSet(s, now));
    if (operators.contains("spark")) {
      spark.step(now);
    }
    if (operators.contains("flink")) {
      flink.step(now);
    }
    client.persistentVolumeClaims().inAnyNamespace().list().getItems().stream()
        .filter(p -> p.getStatus() == null || !"Bound".equals(p.getStatus().getPhase()))
        .forEach(p -> bind(p, now));
    events.purge(now);
  }

  /**
   * Plays a controller over Sluice's objects of a kind: one object's failure is logged and does not
   * stop the others; a kind the cluster does not serve (no CRD) has none.
   */
  <T extends HasMetadata> void each(Class<T> kind, java.util.function.Consumer<T> controller) {
    List<T> objects;
    try {
      objects = managed(kind);
    } catch (KubernetesClientException e) {
      return;
    }
    for (T o : objects) {
      try {
        controller.accept(o);
      } catch (KubernetesClientException e) {
        LOG.debugf(
            "Simulated %s controller: %s: %s",
            kind.getSimpleName(), o.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private <T extends HasMetadata> List<T> managed(Class<T> kind) {
    return client
        .resources(kind)
        .inAnyNamespace()
        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .list()
        .getItems();
  }

  // ---- batch Jobs ---------------------------------------------------------------------------

  private void job(Job job, Instant now) {
    if (finished(job)) {
      return;
    }
    String ns = job.getMetadata().getNamespace();
    List<Pod> pods = podsWith(ns, JOB_NAME_LABEL, job.getMetadata().getName());
    if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      pods.stream().filter(p -> !terminal(p)).forEach(this::delete);
      writeJobStatus(job, 0, count(pods, "Succeeded"), count(pods, "Failed"), null);
      return;
    }
    pods = kubelet.advance(pods, now, true);
    int succeeded = count(pods, "Succeeded");
    int failed = count(pods, "Failed");
    int active = (int) pods.stream().filter(p -> !terminal(p)).count();
    int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    String outcome = null;
    if (succeeded >= completions) {
      outcome = "Complete";
    } else if (failed > backoffLimit) {
      outcome = "Failed";
    } else {
      int wanted = Math.min(parallelism, completions - succeeded) - active;
      for (int i = 0; i < wanted; i++) {
        createPod(
            job.getMetadata().getNamespace(),
            job.getMetadata().getName() + "-" + suffix(),
            job.getSpec().getTemplate(),
            Map.of(JOB_NAME_LABEL, job.getMetadata().getName()),
            job,
            now);
        active++;
      }
    }
    writeJobStatus(job, outcome == null ? active : 0, succeeded, failed, outcome);
  }

  private void writeJobStatus(Job job, int active, int succeeded, int failed, String outcome) {
    String started =
        job.getStatus() != null && job.getStatus().getStartTime() != null
            ? job.getStatus().getStartTime()
            : timestamp(Instant.now());
    JobStatusBuilder status =
        new JobStatusBuilder()
            .withActive(active)
            .withSucceeded(succeeded)
            .withFailed(failed)
            .withStartTime(active + succeeded + failed > 0 ? started : null);
    if ("Complete".equals(outcome)) {
      status
          .withCompletionTime(timestamp(Instant.now()))
          .withConditions(
              new JobConditionBuilder()
                  .withType("Complete")
                  .withStatus("True")
                  .withLastTransitionTime(timestamp(Instant.now()))
                  .build());
    } else if ("Failed".equals(outcome)) {
      status.withConditions(
          new JobConditionBuilder()
              .withType("Failed")
              .withStatus("True")
              .withReason("BackoffLimitExceeded")
              .withMessage("Job has reached the specified backoff limit")
              .withLastTransitionTime(timestamp(Instant.now()))
              .build());
    }
    var next = status.build();
    if (!sameCounts(job.getStatus(), next) || outcome != null) {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName())
          .editStatus(
              j -> {
                j.setStatus(next);
                return j;
              });
    }
  }

  private static boolean sameCounts(
      io.fabric8.kubernetes.api.model.batch.v1.JobStatus a,
      io.fabric8.kubernetes.api.model.batch.v1.JobStatus b) {
    return a != null
        && Objects.equals(a.getActive(), b.getActive())
        && Objects.equals(a.getSucceeded(), b.getSucceeded())
        && Objects.equals(a.getFailed(), b.getFailed());
  }

  private static boolean finished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
  }

  // ---- CronJobs -----------------------------------------------------------------------------

  private void cronJob(CronJob cron, Instant now) {
    if (Boolean.TRUE.equals(cron.getSpec().getSuspend())) {
      return;
    }
    ZonedDateTime since =
        cron.getStatus() != null && cron.getStatus().getLastScheduleTime() != null
            ? Instant.parse(cron.getStatus().getLastScheduleTime()).atZone(ZoneOffset.UTC)
            : Instant.parse(cron.getMetadata().getCreationTimestamp()).atZone(ZoneOffset.UTC);
    var next =
        ExecutionTime.forCron(CronSchedule.parse(cron.getSpec().getSchedule()))
            .nextExecution(since);
    if (next.isEmpty() || next.get().toInstant().isAfter(now)) {
      return;
    }
    Instant at = next.get().toInstant();
    String name = cron.getMetadata().getName() + "-" + at.getEpochSecond() / 60;
    if (client
            .batch()
            .v1()
            .jobs()
            .inNamespace(cron.getMetadata().getNamespace())
            .withName(name)
            .get()
        == null) {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(cron.getMetadata().getNamespace())
          .resource(
              new JobBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(cron.getMetadata().getNamespace())
                  .withLabels(cron.getSpec().getJobTemplate().getMetadata().getLabels())
                  .withAnnotations(cron.getSpec().getJobTemplate().getMetadata().getAnnotations())
                  .withOwnerReferences(
                      new OwnerReferenceBuilder()
                          .withApiVersion("batch/v1")
                          .withKind("CronJob")
                          .withName(cron.getMetadata().getName())
                          .withUid(cron.getMetadata().getUid())
                          .withController(true)
                          .build())
                  .endMetadata()
                  .withSpec(cron.getSpec().getJobTemplate().getSpec())
                  .build())
          .create();
    }
    client
        .batch()
        .v1()
        .cronjobs()
        .inNamespace(cron.getMetadata().getNamespace())
        .withName(cron.getMetadata().getName())
        .editStatus(
            c -> {
              c.setStatus(
                  new io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder()
                      .withLastScheduleTime(timestamp(at))
                      .build());
              return c;
            });
  }

  // ---- Deployments and StatefulSets -------------------------------------------------------

  /**
   * The Deployment controller: a rolling update with the default surge and unavailability ({@link
   * RollingUpdate}), and the Progressing condition with its deadline, so that a rollout whose new
   * pods fail looks here as it does on a cluster: old pods still ready, new ones not, and
   * ProgressDeadlineExceeded once {@code progressDeadlineSeconds} pass without progress.
   */
  private void deployment(Deployment d, Instant now) {
    String ns = d.getMetadata().getNamespace();
    String hash = hash(d.getSpec().getTemplate());
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    List<Pod> pods =
        kubelet.advance(podsWith(ns, Labels.JOB_ID, jobId(d)), now, false).stream()
            .filter(p -> !terminal(p))
            .toList();
    List<Pod> current = pods.stream().filter(p -> hash.equals(label(p, HASH_LABEL))).toList();
    List<Pod> old = pods.stream().filter(p -> !hash.equals(label(p, HASH_LABEL))).toList();
    int currentReady = (int) current.stream().filter(Simulator::ready).count();
    List<Pod> oldReady = old.stream().filter(Simulator::ready).toList();
    RollingUpdate step =
        RollingUpdate.step(desired, current.size(), currentReady, old.size(), oldReady.size());
    for (int i = 0; i < step.create(); i++) {
      createPod(
          ns,
          d.getMetadata().getName() + "-" + hash + "-" + suffix(),
          d.getSpec().getTemplate(),
          Map.of(HASH_LABEL, hash),
          d,
          now);
    }
    old.stream().filter(p -> !ready(p)).limit(step.removeOldUnready()).forEach(this::delete);
    oldReady.stream().limit(step.removeOldReady()).forEach(this::delete);
    current.stream()
        .sorted(java.util.Comparator.comparing(Simulator::ready))
        .limit(step.removeNew())
        .forEach(this::delete);
    List<Pod> alive =
        kubelet.advance(podsWith(ns, Labels.JOB_ID, jobId(d)), now, false).stream()
            .filter(p -> !terminal(p))
            .toList();
    int ready = (int) alive.stream().filter(Simulator::ready).count();
    List<Pod> updatedPods = alive.stream().filter(p -> hash.equals(label(p, HASH_LABEL))).toList();
    int updated = updatedPods.size();
    int updatedReady = (int) updatedPods.stream().filter(Simulator::ready).count();
    boolean complete = updated >= desired && updatedReady >= desired && alive.size() <= updated;
    var status =
        new DeploymentStatusBuilder()
            .withReplicas(alive.size())
            .withReadyReplicas(ready)
            .withUpdatedReplicas(updated)
            .withAvailableReplicas(ready)
            .withUnavailableReplicas(Math.max(0, desired - ready))
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withConditions(progressing(d, hash, updatedReady, complete, now))
            .build();
    if (!Objects.equals(d.getStatus(), status)) {
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName(d.getMetadata().getName())
          .editStatus(
              x -> {
                x.setStatus(status);
                return x;
              });
    }
  }

  /**
   * The Progressing condition as the controller keeps it: its last update moves whenever the
   * rollout makes progress (a new template, another new pod ready), and once the deadline passes
   * without progress it turns False with ProgressDeadlineExceeded.
   */
  private static io.fabric8.kubernetes.api.model.apps.DeploymentCondition progressing(
      Deployment d, String hash, int updatedReady, boolean complete, Instant now) {
    String progress =
        "ReplicaSet " + d.getMetadata().getName() + "-" + hash + " has " + updatedReady;
    var previous =
        d.getStatus() == null || d.getStatus().getConditions() == null
            ? null
            : d.getStatus().getConditions().stream()
                .filter(c -> "Progressing".equals(c.getType()))
                .findFirst()
                .orElse(null);
    boolean moved = previous == null || !progress.equals(previous.getMessage());
    String since = moved ? timestamp(now) : previous.getLastUpdateTime();
    // The API server defaults progressDeadlineSeconds to 600.
    int deadline =
        d.getSpec().getProgressDeadlineSeconds() == null
            ? 600
            : d.getSpec().getProgressDeadlineSeconds();
    boolean exceeded =
        !complete
            && !moved
            && ("ProgressDeadlineExceeded".equals(previous.getReason())
                || Instant.parse(since).plusSeconds(deadline).isBefore(now));
    return new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
        .withType("Progressing")
        .withStatus(exceeded ? "False" : "True")
        .withReason(
            exceeded
                ? "ProgressDeadlineExceeded"
                : complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
        .withMessage(progress)
        .withLastUpdateTime(since)
        .withLastTransitionTime(since)
        .build();
  }

  private void statefulSet(StatefulSet s, Instant now) {
    String ns = s.getMetadata().getNamespace();
    String name = s.getMetadata().getName();
    String hash = hash(s.getSpec().getTemplate());
    int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    for (int i = 0; i < desired; i++) {
      for (PersistentVolumeClaim template : s.getSpec().getVolumeClaimTemplates()) {
        String claim = template.getMetadata().getName() + "-" + name + "-" + i;
        if (client.persistentVolumeClaims().inNamespace(ns).withName(claim).get() == null) {
          client
              .persistentVolumeClaims()
              .inNamespace(ns)
              .resource(
                  new PersistentVolumeClaimBuilder()
                      .withNewMetadata()
                      .withName(claim)
                      .withNamespace(ns)
                      .withLabels(template.getMetadata().getLabels())
                      .endMetadata()
                      .withSpec(template.getSpec())
                      .build())
              .create();
        }
      }
    }
    List<Pod> pods = kubelet.advance(podsWith(ns, Labels.JOB_ID, jobId(s)), now, false);
    // RollingUpdate: pods beyond the replicas go; then the highest-ordinal pod of an old revision
    // is replaced, one at a time, only once every pod above it is updated and ready.
    boolean aboveSettled = true;
    for (int ordinal = Math.max(desired, pods.size()) - 1; ordinal >= 0; ordinal--) {
      String podName = name + "-" + ordinal;
      Pod p =
          pods.stream()
              .filter(x -> x.getMetadata().getName().equals(podName))
              .findFirst()
              .orElse(null);
      if (p == null) {
        aboveSettled = aboveSettled && ordinal >= desired;
        continue;
      }
      if (ordinal >= desired) {
        delete(p);
      } else if (!hash.equals(label(p, HASH_LABEL))) {
        if (aboveSettled) {
          delete(p);
        }
        aboveSettled = false;
      } else {
        aboveSettled = aboveSettled && ready(p);
      }
    }
    for (int i = 0; i < desired; i++) {
      String pod = name + "-" + i;
      if (pods.stream()
          .noneMatch(
              p -> p.getMetadata().getName().equals(pod) && hash.equals(label(p, HASH_LABEL)))) {
        if (client.pods().inNamespace(ns).withName(pod).get() == null) {
          createPod(ns, pod, withClaims(s, i), Map.of(HASH_LABEL, hash), s, now);
        }
      }
    }
    List<Pod> alive = podsWith(ns, Labels.JOB_ID, jobId(s));
    int ready = (int) alive.stream().filter(Simulator::ready).count();
    int updated = (int) alive.stream().filter(p -> hash.equals(label(p, HASH_LABEL))).count();
    // The current revision becomes the update revision once every replica runs it.
    String updateRevision = name + "-" + hash;
    String previous = s.getStatus() == null ? null : s.getStatus().getCurrentRevision();
    String currentRevision =
        (updated >= desired && alive.size() <= desired) || previous == null
            ? updateRevision
            : previous;
    var status =
        new StatefulSetStatusBuilder()
            .withReplicas(alive.size())
            .withReadyReplicas(ready)
            .withCurrentReplicas(
                currentRevision.equals(updateRevision) ? updated : alive.size() - updated)
            .withUpdatedReplicas(updated)
            .withAvailableReplicas(ready)
            .withCurrentRevision(currentRevision)
            .withUpdateRevision(updateRevision)
            .withObservedGeneration(s.getMetadata().getGeneration())
            .build();
    if (!Objects.equals(s.getStatus(), status)) {
      client
          .apps()
          .statefulSets()
          .inNamespace(ns)
          .withName(name)
          .editStatus(
              x -> {
                x.setStatus(status);
                return x;
              });
    }
  }

  /**
   * The pod template of ordinal {@code i} as the StatefulSet controller makes it: each claim
   * template becomes a volume of the pod, bound to that ordinal's claim.
   */
  private static PodTemplateSpec withClaims(StatefulSet s, int i) {
    PodTemplateSpec template = Serialization.clone(s.getSpec().getTemplate());
    List<io.fabric8.kubernetes.api.model.Volume> volumes =
        new ArrayList<>(
            template.getSpec().getVolumes() == null ? List.of() : template.getSpec().getVolumes());
    for (PersistentVolumeClaim claim : s.getSpec().getVolumeClaimTemplates()) {
      String name = claim.getMetadata().getName();
      volumes.add(
          new io.fabric8.kubernetes.api.model.VolumeBuilder()
              .withName(name)
              .withNewPersistentVolumeClaim()
              .withClaimName(name + "-" + s.getMetadata().getName() + "-" + i)
              .endPersistentVolumeClaim()
              .build());
    }
    template.getSpec().setVolumes(volumes);
    return template;
  }

  // ---- pods: created by the controllers, run by the kubelet ---------------------------------

  void createPod(
      String ns,
      String name,
      PodTemplateSpec template,
      Map<String, String> extraLabels,
      HasMetadata owner,
      Instant now) {
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
    labels.putAll(extraLabels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata().getAnnotations() != null) {
      annotations.putAll(template.getMetadata().getAnnotations());
    }
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .withAnnotations(annotations)
                .withCreationTimestamp(timestamp(now))
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion(owner.getApiVersion())
                        .withKind(owner.getKind())
                        .withName(owner.getMetadata().getName())
                        .withUid(owner.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build())
        .create();
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getContainerStatuses() != null
        && p.getStatus().getContainerStatuses().stream()
            .anyMatch(c -> Boolean.TRUE.equals(c.getReady()));
  }

  static boolean terminal(Pod p) {
    return p.getStatus() != null
        && ("Succeeded".equals(p.getStatus().getPhase())
            || "Failed".equals(p.getStatus().getPhase()));
  }

  private static int count(List<Pod> pods, String phase) {
    return (int)
        pods.stream()
            .filter(p -> p.getStatus() != null && phase.equals(p.getStatus().getPhase()))
            .count();
  }

  List<Pod> podsWith(String ns, String label, String value) {
    List<Pod> pods =
        new ArrayList<>(client.pods().inNamespace(ns).withLabel(label, value).list().getItems());
    pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return pods;
  }

  void delete(Pod pod) {
    if (!terminal(pod) && pod.getSpec().getNodeName() != null) {
      events.normal(pod, "Killing", "Stopping container main", "kubelet", Instant.now());
    }
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .delete();
  }

  /**
   * The volume provisioner: a claim binds when its storage class exists (a claim naming none gets
   * the default class); otherwise it stays Pending with a ProvisioningFailed event, as on a
   * cluster.
   */
  private void bind(PersistentVolumeClaim claim, Instant now) {
    String storageClass = claim.getSpec().getStorageClassName();
    if (storageClass != null && !node.storageClasses().contains(storageClass)) {
      events.warning(
          claim,
          "ProvisioningFailed",
          "storageclass.storage.k8s.io \"" + storageClass + "\" not found",
          "persistentvolume-controller",
          now);
      return;
    }
    client
        .persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .editStatus(
            c -> {
              c.setStatus(
                  new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
                      .withPhase("Bound")
                      .withAccessModes(c.getSpec().getAccessModes())
                      .withCapacity(
                          c.getSpec().getResources() == null
                              ? null
                              : c.getSpec().getResources().getRequests())
                      .build());
              return c;
            });
  }

  private static String label(Pod p, String key) {
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(key);
  }

  private static String jobId(HasMetadata o) {
    return o.getMetadata().getLabels().get(Labels.JOB_ID);
  }

  /** A short hash of a pod template, like the controller's pod-template-hash. */
  static String hash(PodTemplateSpec template) {
    return SpecCodec.sha256(Serialization.asJson(template)).substring(0, 10);
  }

  static String suffix() {
    String chars = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
    }
    return s.toString();
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
