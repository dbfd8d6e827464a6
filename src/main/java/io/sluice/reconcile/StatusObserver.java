package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sluice.render.Labels;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps job and run status in PostgreSQL current from the informers' events, and asks for a
 * reconcile when a managed object is deleted or its spec edited by hand. Events are coalesced per
 * job and narrowed to what changed: a burst of pod updates becomes one status write for their run,
 * and a job with many open runs does not rewrite all of them when one run's Job changes.
 */
public class StatusObserver implements ClusterCache.Listener {
  private static final Logger LOG = Logger.getLogger(StatusObserver.class);

  private final ClusterCache cache;
  private final StatusStore store;
  private final ReconcileStore reconcileStore;
  private final Runnable wakeReconciler;

  /** What changed, by job id: {@link #REPLICAS}, or a run by its Job's name or its number. */
  private final Map<String, Set<String>> dirty = new ConcurrentHashMap<>();

  private static final String REPLICAS = "replicas";
  private final Object signal = new Object();
  private volatile boolean running;
  private Thread thread;

  public StatusObserver(
      ClusterCache cache,
      StatusStore store,
      ReconcileStore reconcileStore,
      Runnable wakeReconciler) {
    this.cache = cache;
    this.store = store;
    this.reconcileStore = reconcileStore;
    this.wakeReconciler = wakeReconciler;
  }

  @Override
  public void changed(HasMetadata before, HasMetadata after) {
    HasMetadata object = after != null ? after : before;
    String jobId = ClusterCache.jobId(object).orElse(null);
    if (jobId == null) {
      return;
    }
    if (!(object instanceof Pod)
        && before != null
        && (after == null || specChanged(before, after))) {
      try {
        reconcileStore.markDue(UUID.fromString(jobId));
        wakeReconciler.run();
      } catch (RuntimeException e) {
        LOG.warnf("Could not schedule a reconcile of job %s: %s", jobId, e.getMessage());
      }
    }
    String what = what(object);
    if (what == null) {
      return;
    }
    dirty.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(what);
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /**
   * Which part of a job's status an object feeds; null for none. A ConfigMap, Service, PVC, HPA or
   * CronJob feeds no status (readiness is read off the workload and its pods, a run off its Job):
   * its events would only repeat the refresh its workload's own events ask for.
   */
  static String what(HasMetadata object) {
    if (object instanceof Job || object instanceof io.sluice.engine.SparkApplication) {
      return runJob(object.getMetadata().getName());
    }
    if (object instanceof Pod) {
      Map<String, String> labels = object.getMetadata().getLabels();
      if (labels != null && labels.containsKey(Labels.KUBERNETES_JOB_NAME)) {
        return runJob(labels.get(Labels.KUBERNETES_JOB_NAME));
      }
      if (labels != null && labels.containsKey(Labels.RUN)) {
        return run(labels.get(Labels.RUN));
      }
      return REPLICAS;
    }
    if (object instanceof Deployment
        || object instanceof StatefulSet
        || object instanceof io.sluice.engine.FlinkDeployment) {
      return REPLICAS;
    }
    return null;
  }

  private static String runJob(String kubernetesJobName) {
    return "job:" + kubernetesJobName;
  }

  private static String run(String number) {
    return "run:" + number;
  }

  private static boolean specChanged(HasMetadata before, HasMetadata after) {
    return !Objects.equals(Matcher.spec(before), Matcher.spec(after));
  }

  public void start() {
    running = true;
    thread = new Thread(this::loop, "sluice-status-observer");
    thread.setDaemon(true);
    thread.start();
  }

  public void stop() {
    running = false;
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      try {
        synchronized (signal) {
          if (dirty.isEmpty()) {
            signal.wait(1000);
          }
        }
        Map<String, Set<String>> sweep = new java.util.LinkedHashMap<>();
        for (String jobId : Set.copyOf(dirty.keySet())) {
          Set<String> what = dirty.remove(jobId);
          if (what != null) {
            sweep.put(jobId, what);
          }
        }
        // The sweep's readiness first, in one statement per few hundred jobs: after a restart, or
        // a node's pods moving, that is thousands of jobs, which one statement each made as many
        // round trips. Then runs, each in its own.
        List<StatusStore.Readiness> readiness = new java.util.ArrayList<>();
        sweep.forEach(
            (jobId, what) -> {
              if (what.contains(REPLICAS)) {
                readiness(jobId, readiness);
              }
            });
        try {
          recordReadiness(readiness);
        } catch (RuntimeException e) {
          // The database is away: the whole sweep is tried again (writing what is already
          // written writes nothing), not dropped until its objects change again.
          sweep.forEach(
              (jobId, what) ->
                  dirty.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).addAll(what));
          throw e;
        }
        sweep.forEach(this::refreshRuns);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warnf("Status update failed: %s", e.getMessage());
        sleep();
      }
    }
  }

  /** The revision a workload's pod template was rendered from (Sluice's annotation), or null. */
  private static Integer revision(io.fabric8.kubernetes.api.model.PodTemplateSpec template) {
    return template == null ? null : Labels.revision(template.getMetadata());
  }

  /** Each workload of a job, as the cache shows it now, into {@code into}. */
  private void readiness(String jobId, List<StatusStore.Readiness> into) {
    UUID id = UUID.fromString(jobId);
    List<io.sluice.job.PodIssue> issues = PodIssues.of(cache.byJob(Pod.class, jobId));
    // Each with the revision its pod template renders (null where the object does not say).
    for (io.sluice.engine.FlinkDeployment d :
        cache.byJob(io.sluice.engine.FlinkDeployment.class, jobId)) {
      into.add(new StatusStore.Readiness(id, ObservedEngines.flink(d, issues), null));
    }
    // An operator's Deployment or StatefulSet (a Flink JobManager's) is not the job's workload.
    for (Deployment d : cache.byJob(Deployment.class, jobId)) {
      if (!Reconciler.controlledByAnother(d)) {
        into.add(
            new StatusStore.Readiness(
                id, Observed.replicas(d).withIssues(issues), revision(d.getSpec().getTemplate())));
      }
    }
    for (StatefulSet s : cache.byJob(StatefulSet.class, jobId)) {
      if (!Reconciler.controlledByAnother(s)) {
        into.add(
            new StatusStore.Readiness(
                id, Observed.replicas(s).withIssues(issues), revision(s.getSpec().getTemplate())));
      }
    }
  }

  /** Writes what changed of one job's runs, as the cache shows them now. */
  void refreshRuns(String jobId, Set<String> what) {
    UUID id = UUID.fromString(jobId);
    refreshSparkRuns(id, jobId, what);
    for (Job job : cache.byJob(Job.class, jobId)) {
      Map<String, String> labels = job.getMetadata().getLabels();
      if (!what.contains(runJob(job.getMetadata().getName()))
          && !what.contains(run(labels.get(Labels.RUN)))) {
        continue;
      }
      try {
        Integer number = runNumber(id, job);
        if (number != null) {
          store.recordRun(
              id, number, Observed.run(job, pods(jobId, number, job.getMetadata().getName())));
        }
      } catch (RuntimeException e) {
        // A malformed object must not block the status of the others.
        LOG.warnf("Skipping %s: %s", ClusterCache.describe(job), e.getMessage());
      }
    }
  }

  /** Writes the sweep's readiness, and asks for a pass of each job whose rollout failed. */
  private void recordReadiness(List<StatusStore.Readiness> readiness) {
    if (readiness.isEmpty()) {
      return;
    }
    store.recordReplicas(readiness);
    boolean failed = false;
    for (StatusStore.Readiness observed : readiness) {
      if (observed.workload().failed()) {
        // The controller or operator gave up on the rollout: the reconciler decides now
        // (automatic rollback), not at the job's own deadline.
        reconcileStore.markDue(observed.jobId());
        failed = true;
      }
    }
    if (failed) {
      wakeReconciler.run();
    }
  }

  /** Spark runs: each SparkApplication's state, with its driver's pod. */
  private void refreshSparkRuns(UUID id, String jobId, Set<String> what) {
    for (io.sluice.engine.SparkApplication app :
        cache.byJob(io.sluice.engine.SparkApplication.class, jobId)) {
      Map<String, String> labels = app.getMetadata().getLabels();
      String number = labels == null ? null : labels.get(Labels.RUN);
      if (number == null
          || (!what.contains(runJob(app.getMetadata().getName())) && !what.contains(run(number)))) {
        continue;
      }
      try {
        int n = Integer.parseInt(number);
        store.recordRun(
            id, n, ObservedEngines.sparkRun(app, pods(jobId, n, app.getMetadata().getName())));
      } catch (RuntimeException e) {
        LOG.warnf("Skipping %s: %s", ClusterCache.describe(app), e.getMessage());
      }
    }
  }

  /** The run a Kubernetes Job belongs to: by label for runs Sluice started, else a CronJob's. */
  private Integer runNumber(UUID jobId, Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    if (labels.containsKey(Labels.RUN)) {
      return Integer.valueOf(labels.get(Labels.RUN));
    }
    boolean fromCronJob =
        job.getMetadata().getOwnerReferences() != null
            && job.getMetadata().getOwnerReferences().stream()
                .map(OwnerReference::getKind)
                .anyMatch("CronJob"::equals);
    if (!fromCronJob) {
      return null;
    }
    String revision =
        job.getMetadata().getAnnotations() == null
            ? null
            : job.getMetadata().getAnnotations().get(Labels.REVISION_ANNOTATION);
    return store.recordScheduledRun(
        jobId, job.getMetadata().getName(), revision == null ? 1 : Integer.parseInt(revision));
  }

  /** Pods of a run: labelled with its number by Sluice, or with the Job's name by Kubernetes. */
  private java.util.List<Pod> pods(String jobId, int number, String k8sJob) {
    return cache.byJob(Pod.class, jobId).stream()
        .filter(
            p ->
                String.valueOf(number).equals(p.getMetadata().getLabels().get(Labels.RUN))
                    || k8sJob.equals(p.getMetadata().getLabels().get(Labels.KUBERNETES_JOB_NAME)))
        .toList();
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
