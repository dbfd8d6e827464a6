package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.config.SluiceConfig;
import io.sluice.job.JobPhase;
import io.sluice.render.Desired;
import io.sluice.render.Labels;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import io.sluice.run.RunPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * One reconcile pass over one job, written as the flow it follows: observe (read the snapshot
 * PostgreSQL holds), render (pure), apply (create or update what differs), prune (delete what no
 * longer belongs), and record (under the claim, so a stale worker writes nothing).
 */
public class Reconciler {
  private static final Logger LOG = Logger.getLogger(Reconciler.class);

  /** Kinds whose leftover objects are deleted when they no longer belong to the job's spec. */
  private static final List<Class<? extends HasMetadata>> PRUNED =
      List.of(
          io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class,
          CronJob.class,
          Deployment.class,
          StatefulSet.class,
          Service.class,
          ConfigMap.class);

  private final KubernetesClient client;
  private final ClusterCache cache;
  private final Applier applier;
  private final ReconcileStore store;
  private final SluiceConfig.Reconcile config;

  /**
   * Called at the boundary between applying to the cluster and recording in PostgreSQL; a no-op in
   * production. Tests make it throw to simulate a crash at exactly that point.
   */
  private volatile java.util.function.Consumer<ReconcileStore.Claim> afterApply = claim -> {};

  private volatile ReconcileMetrics metrics = ReconcileMetrics.NONE;

  /**
   * What a spec's pods may reach in a namespace (its policy's identity rules): problems found are
   * refused before anything is applied. None by default.
   */
  private volatile java.util.function.BiFunction<String, io.sluice.job.JobSpec, List<String>>
      guard = (namespace, spec) -> List.of();

  /** Checks every spec a pass would apply with {@code guard} (the namespace's identity rules). */
  public void guardWith(
      java.util.function.BiFunction<String, io.sluice.job.JobSpec, List<String>> guard) {
    this.guard = guard;
  }

  /** Whether an engine's operator is installed; every engine is, unless told otherwise. */
  private volatile java.util.function.Predicate<io.sluice.engine.Engines.Engine> engineServed =
      engine -> true;

  /** Checks each engine job's pass against which operators the cluster offers. */
  public void enginesFrom(io.sluice.engine.Engines engines) {
    this.engineServed = engines::available;
  }

  /** Where the records of passes that changed nothing gather (none: each is written at once). */
  private volatile PendingRecords pending;

  /** Records passes that changed nothing together, through {@code pending}. */
  void recordUnchangedIn(PendingRecords pending) {
    this.pending = pending;
  }

  /** Told of each run whose Job a pass is about to create, with its row as the claim read it. */
  private volatile NewRunJobs newRunJobs = (jobId, run, readAt) -> {};

  /** What the status store is told before a pass creates runs' Jobs. */
  @FunctionalInterface
  public interface NewRunJobs {
    void expect(java.util.UUID jobId, Snapshot.OpenRun run, long readAt);
  }

  /**
   * Tells {@code status} of the runs whose Jobs each pass creates (their new Jobs' first events
   * then need no read of their rows).
   */
  public void announceNewRunJobsTo(StatusStore status) {
    this.newRunJobs = status::expectNewJob;
  }

  /** Told when a pass leaves its job due at once (an automatic rollback): claim again now. */
  private volatile Runnable dueAgain = () -> {};

  void onDueAgain(Runnable dueAgain) {
    this.dueAgain = dueAgain;
  }

  /** Where pass durations and Kubernetes failures are reported. */
  public void reportTo(ReconcileMetrics metrics) {
    this.metrics = metrics;
  }

  /** Installs a fault-injection hook at the apply/record boundary (tests only). */
  public void onAfterApply(java.util.function.Consumer<ReconcileStore.Claim> hook) {
    this.afterApply = hook;
  }

  public Reconciler(
      KubernetesClient client,
      ClusterCache cache,
      Applier applier,
      ReconcileStore store,
      SluiceConfig.Reconcile config) {
    this.client = client;
    this.cache = cache;
    this.applier = applier;
    this.store = store;
    this.config = config;
  }

  /** Builds a reconciler; lets tests substitute an instrumented one. */
  @FunctionalInterface
  public interface Factory {
    Reconciler create(
        KubernetesClient client,
        ClusterCache cache,
        Applier applier,
        ReconcileStore store,
        SluiceConfig.Reconcile config);
  }

  public void reconcile(ReconcileStore.Claim claim) {
    long start = System.nanoTime();
    String outcome = pass(claim);
    metrics.pass(outcome, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * One pass; returns its outcome for metrics: applied, unchanged (applied without rendering:
   * nothing could have changed), rolled-back, purged or failed.
   */
  private String pass(ReconcileStore.Claim claim) {
    Snapshot job = claim.snapshot();
    try {
      if (job.deleted()) {
        purge(job);
        store.recordPurged(claim, job);
        LOG.infof("job=%s/%s purged from the cluster", job.namespace(), job.name());
        return "purged";
      }
      announceNewRunJobs(claim);
      Pass result = applyAndObserve(job);
      ReconcileStore.Applied applied = result.applied();
      afterApply.accept(claim);
      if (autoRollback(claim, job, applied)) {
        dueAgain.run();
        return "rolled-back";
      }
      Duration next = nextPass(job, applied);
      PendingRecords later = pending;
      if (later != null && result.skipped() && ReconcileStore.deferrable(job, applied)) {
        later.add(new ReconcileStore.Unchanged(claim, job, applied, next, result.fingerprint()));
        return "unchanged";
      }
      if (!store.recordApplied(claim, job, applied, next, result.fingerprint())) {
        LOG.warnf(
            "job=%s/%s: claim lost before recording; another worker owns it now",
            job.namespace(), job.name());
      }
      return result.skipped() ? "unchanged" : "applied";
    } catch (ApplyException e) {
      fail(claim, job, e);
      return "failed";
    } catch (RuntimeException e) {
      // A poison pill (a malformed object, a bug) fails this job's pass, never the loop.
      LOG.errorf(e, "job=%s/%s: unexpected failure while reconciling", job.namespace(), job.name());
      fail(
          claim,
          job,
          new ApplyException(
              ApplyException.Reason.KubernetesApiError,
              "Unexpected error while reconciling (" + e.getClass().getSimpleName() + ")"));
      return "failed";
    }
  }

  /** Runs not yet submitted are the ones whose Jobs this pass creates, unless it skips them. */
  private void announceNewRunJobs(ReconcileStore.Claim claim) {
    for (Snapshot.OpenRun run : claim.snapshot().runs()) {
      if (run.needsJob()) {
        newRunJobs.expect(claim.jobId(), run, claim.readAt());
      }
    }
  }

  /**
   * What a pass learnt, whether it could skip rendering because nothing can have changed, and the
   * fingerprint of what it left behind (null when it cannot tell: it deleted objects).
   */
  private record Pass(ReconcileStore.Applied applied, boolean skipped, byte[] fingerprint) {}

  /** What rendering and applying did: nothing when skipped, and the fingerprint it leaves. */
  private record Rendered(java.util.Optional<Applier.Outcome> outcome, byte[] fingerprint) {}

  private Pass applyAndObserve(Snapshot job) {
    Rendered rendered = applyRendered(job);
    Applier.Outcome outcome = rendered.outcome().orElse(Applier.Outcome.NONE);
    scaleActiveRuns(job);
    List<Integer> cleaned = cleanUpCancelledRuns(job);
    List<Integer> lost = findLostRuns(job);
    List<Integer> submitted =
        Renderer.submits(job.workload(), job.suspended())
            ? job.runInputs().stream()
                .filter(RenderInput.RunInput::createJob)
                .map(RenderInput.RunInput::number)
                .toList()
            : List.of();
    if (outcome.created() + outcome.updated() > 0) {
      LOG.infof(
          "job=%s/%s revision=%d applied: %d created, %d updated",
          job.namespace(), job.name(), job.revision(), outcome.created(), outcome.updated());
    }
    return new Pass(
        status(job, outcome, submitted, cleaned, lost),
        rendered.outcome().isEmpty(),
        rendered.fingerprint());
  }

  /**
   * Renders, applies what differs and prunes what no longer belongs — unless nothing can have
   * changed since a pass that left the same objects behind (its fingerprint is the job's: the
   * outcome is empty then, and the job's spec was never read).
   */
  private Rendered applyRendered(Snapshot job) {
    java.util.Set<String> objects = cache.versions(job.jobId().toString());
    byte[] found = PassFingerprint.of(job, objects);
    if (java.util.Arrays.equals(found, job.passFingerprint())) {
      return new Rendered(java.util.Optional.empty(), found);
    }
    RenderInput input = job.renderInput();
    refuseWhatPolicyForbids(input);
    io.sluice.engine.Engines.Engine engine = io.sluice.engine.Engines.Engine.of(job.workload());
    if (engine != null && !engineServed.test(engine)) {
      throw new ApplyException(ApplyException.Reason.OperatorMissing, engine.missing());
    }
    List<Desired> desired = Renderer.render(input);
    List<String> unsafe =
        io.sluice.policy.PodSecurity.violations(desired.stream().map(Desired::resource).toList());
    if (!unsafe.isEmpty()) {
      throw new ApplyException(
          ApplyException.Reason.PodSecurityViolation, "Not applied: " + String.join("; ", unsafe));
    }
    Applier.Outcome outcome = applier.apply(job.jobId(), desired);
    // What this pass leaves behind is known even when it wrote: the objects it found, with those
    // it wrote at the versions the API server gave them. So the next resync is cheap too.
    byte[] left =
        prune(job, desired) == 0
            ? PassFingerprint.of(job, PassFingerprint.after(objects, outcome.written()))
            : null;
    return new Rendered(java.util.Optional.of(outcome), left);
  }

  private void refuseWhatPolicyForbids(RenderInput input) {
    java.util.Set<String> problems =
        new java.util.LinkedHashSet<>(guard.apply(input.namespace(), input.spec()));
    for (io.sluice.job.JobSpec older : input.revisionSpecs().values()) {
      problems.addAll(guard.apply(input.namespace(), older));
    }
    if (!problems.isEmpty()) {
      throw new ApplyException(
          ApplyException.Reason.PolicyViolation, "Not applied: " + String.join("; ", problems));
    }
  }

  private ReconcileStore.Applied status(
      Snapshot job,
      Applier.Outcome outcome,
      List<Integer> submitted,
      List<Integer> cleaned,
      List<Integer> lost) {
    if (!job.workload().isLongRunning() && job.suspended()) {
      return new ReconcileStore.Applied(
          job.revision(),
          JobPhase.SUSPENDED,
          job.workload() == io.sluice.job.Workload.SCHEDULED
              ? "Suspended: no runs are scheduled"
              : "Suspended: runs are paused",
          null,
          null,
          submitted,
          cleaned,
          lost);
    }
    if (!job.workload().isLongRunning()) {
      String message =
          job.workload() == io.sluice.job.Workload.SCHEDULED
              ? "Scheduled: " + job.spec().schedule()
              : "Ready to run";
      return new ReconcileStore.Applied(
          job.revision(), JobPhase.READY, message, null, null, submitted, cleaned, lost);
    }
    boolean changed = outcome.created() + outcome.updated() > 0;
    Observed.Readiness replicas = observedReplicas(job, outcome).orElse(null);
    if (replicas == null || (changed && !readsItsWrites(job.workload()))) {
      // No workload seen yet, or an engine's resource whose operator has not seen this write.
      Integer wanted = job.renderInput().replicas();
      int desired = wanted == null ? job.spec().autoscaling().minReplicas() : wanted;
      JobPhase phase = desired == 0 ? JobPhase.SUSPENDED : JobPhase.PROGRESSING;
      return new ReconcileStore.Applied(
          job.revision(),
          phase,
          phase == JobPhase.SUSPENDED ? "Scaled to zero" : "Rolling out revision " + job.revision(),
          replicas == null ? 0 : replicas.ready(),
          desired,
          submitted,
          cleaned,
          lost);
    }
    return new ReconcileStore.Applied(
        job.revision(),
        replicas.phase(),
        replicas.message(),
        replicas.ready(),
        replicas.desired(),
        submitted,
        cleaned,
        lost);
  }

  /** Workloads whose readiness Sluice reads off their own object: a Deployment, a StatefulSet. */
  private static boolean readsItsWrites(io.sluice.job.Workload workload) {
    return workload == io.sluice.job.Workload.SERVICE
        || workload == io.sluice.job.Workload.STATEFUL;
  }

  /**
   * The job's workload as this pass leaves it. A Deployment or StatefulSet the pass wrote reads as
   * the API server answered the write — what that write's watch event will show, so the status
   * observer finds nothing to add; one it left alone (an HPA or a Service changed) reads as the
   * cache shows it, since nothing rolls out. A FlinkDeployment reads as the cache shows it.
   */
  private java.util.Optional<Observed.Readiness> observedReplicas(
      Snapshot job, Applier.Outcome outcome) {
    var issues =
        PodIssues.of(
            cache.byJob(io.fabric8.kubernetes.api.model.Pod.class, job.jobId().toString()));
    String ns = job.namespace();
    String name = job.name();
    if (job.workload() == io.sluice.job.Workload.FLINK) {
      return cache
          .get(io.sluice.engine.FlinkDeployment.class, ns, name)
          .map(d -> ObservedEngines.flink(d, issues));
    }
    if (job.workload() == io.sluice.job.Workload.SERVICE) {
      return outcome
          .wrote(Deployment.class, ns, name)
          .or(() -> cache.get(Deployment.class, ns, name))
          .map(d -> Observed.replicas(d).withIssues(issues));
    }
    return outcome
        .wrote(StatefulSet.class, ns, name)
        .or(() -> cache.get(StatefulSet.class, ns, name))
        .map(s -> Observed.replicas(s).withIssues(issues));
  }

  /**
   * Scale and suspension reach runs already started: their Jobs' parallelism and suspend flag are
   * the two fields Kubernetes lets change on a running Job.
   */
  private void scaleActiveRuns(Snapshot job) {
    if (!job.workload().isBatch() || job.workload().isEngine()) {
      // A Spark run keeps the executors it was submitted with: scale is for the next runs.
      return;
    }
    for (Job running : cache.byJob(Job.class, job.jobId().toString())) {
      if (running.getStatus() != null
          && (running.getStatus().getCompletionTime() != null
              || Observed.run(running, List.of()).phase().isTerminal())) {
        continue;
      }
      Integer parallelism =
          job.scaleReplicas() != null ? job.scaleReplicas() : running.getSpec().getParallelism();
      Boolean suspend =
          job.suspended()
              ? Boolean.TRUE
              : (Boolean.TRUE.equals(running.getSpec().getSuspend())
                  ? Boolean.FALSE
                  : running.getSpec().getSuspend());
      if (!java.util.Objects.equals(parallelism, running.getSpec().getParallelism())
          || !java.util.Objects.equals(suspend, running.getSpec().getSuspend())) {
        applier.patchRunJob(running, parallelism, suspend);
      }
    }
  }

  /**
   * Rolls a long-running job back to its last stable revision when a rollout missed its deadline
   * and the spec asks for it. An automatic rollback is never rolled back again.
   */
  private boolean autoRollback(
      ReconcileStore.Claim claim, Snapshot job, ReconcileStore.Applied applied) {
    // DEGRADED here means the controller itself gave up (ProgressDeadlineExceeded).
    boolean controllerGaveUp = applied.phase() == JobPhase.DEGRADED;
    if (applied.phase() != JobPhase.PROGRESSING && !controllerGaveUp) {
      return false; // without reading the spec: a settled job (a resync) never does
    }
    var rollout = job.spec().rollout();
    if (rollout == null
        || !Boolean.TRUE.equals(rollout.autoRollback())
        || job.appliedAt() == null
        || !Integer.valueOf(job.revision()).equals(job.appliedRevision())
        || job.currentIsAutomaticRollback()
        || job.lastStableRevision() == null
        || job.lastStableRevision() == job.revision()) {
      return false;
    }
    java.time.Instant deadline = job.appliedAt().plusSeconds(rollout.progressDeadlineSeconds());
    if (!controllerGaveUp && java.time.Instant.now().isBefore(deadline)) {
      return false;
    }
    String why =
        "revision "
            + job.revision()
            + (controllerGaveUp
                ? " failed to roll out (" + applied.message() + ")"
                : " did not become ready within " + rollout.progressDeadlineSeconds() + "s")
            + "; rolled back to revision "
            + job.lastStableRevision();
    LOG.warnf("job=%s/%s automatic rollback: %s", job.namespace(), job.name(), why);
    return store.autoRollback(claim, job, job.lastStableRevision(), why);
  }

  /** When to look again: the resync period, or sooner if a rollout deadline falls before it. */
  private Duration nextPass(Snapshot job, ReconcileStore.Applied applied) {
    var rollout = applied.phase() == JobPhase.PROGRESSING ? job.spec().rollout() : null;
    if (rollout != null && Boolean.TRUE.equals(rollout.autoRollback())) {
      java.time.Instant start =
          Integer.valueOf(job.revision()).equals(job.appliedRevision()) && job.appliedAt() != null
              ? job.appliedAt()
              : java.time.Instant.now();
      Duration left =
          Duration.between(
              java.time.Instant.now(), start.plusSeconds(rollout.progressDeadlineSeconds()));
      Duration soon = left.isNegative() ? Duration.ofMillis(100) : left.plusMillis(100);
      return soon.compareTo(config.resync()) < 0 ? soon : config.resync();
    }
    return config.resync();
  }

  /**
   * Deletes the job's objects of pruned kinds that the current render no longer contains; returns
   * how many.
   */
  private int prune(Snapshot job, List<Desired> desired) {
    int deleted = 0;
    Set<String> keep = new HashSet<>();
    desired.forEach(d -> keep.add(d.kind() + "/" + d.name()));
    for (Class<? extends HasMetadata> kind : PRUNED) {
      for (HasMetadata actual : cache.byJob(kind, job.jobId().toString())) {
        if (controlledByAnother(actual)) {
          // Made by an operator (a FlinkDeployment's JobManager Deployment, which can carry the
          // job's pod labels): its owner deletes it, Sluice does not.
          continue;
        }
        if (!keep.contains(actual.getKind() + "/" + actual.getMetadata().getName())) {
          LOG.infof(
              "job=%s/%s: deleting %s, no longer part of revision %d",
              job.namespace(), job.name(), Applier.describe(actual), job.revision());
          applier.delete(actual);
          deleted++;
        }
      }
    }
    return deleted;
  }

  /** Sluice never makes an object with a controller owner; an operator does. */
  static boolean controlledByAnother(HasMetadata o) {
    return o.getMetadata().getOwnerReferences() != null
        && o.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> Boolean.TRUE.equals(r.getController()));
  }

  /** The kind of a run's own object: a SparkApplication for spark jobs, else a Kubernetes Job. */
  static Class<? extends HasMetadata> runKind(io.sluice.job.Workload workload) {
    return workload == io.sluice.job.Workload.SPARK
        ? io.sluice.engine.SparkApplication.class
        : Job.class;
  }

  private List<Integer> cleanUpCancelledRuns(Snapshot job) {
    List<Integer> cleaned = new ArrayList<>();
    for (Snapshot.OpenRun run : job.runs()) {
      if (run.phase() == RunPhase.CANCELLED) {
        applier.deleteRun(runKind(job.workload()), job.namespace(), run.k8sName());
        cleaned.add(run.number());
      }
    }
    return cleaned;
  }

  /** Unfinished runs whose Kubernetes Job Sluice created but which no longer exists. */
  private List<Integer> findLostRuns(Snapshot job) {
    List<Integer> lost = new ArrayList<>();
    for (Snapshot.OpenRun run : job.runs()) {
      if (!run.phase().isTerminal()
          && run.submitted()
          && cache.get(runKind(job.workload()), job.namespace(), run.k8sName()).isEmpty()
          && !applier.runExists(runKind(job.workload()), job.namespace(), run.k8sName())) {
        LOG.warnf(
            "job=%s/%s run=%d: Kubernetes Job %s is gone; marking the run lost",
            job.namespace(), job.name(), run.number(), run.k8sName());
        lost.add(run.number());
      }
    }
    return lost;
  }

  /**
   * Deletes every object of a deleted job, asking the API server (not the cache) so nothing is
   * missed; claims only when volumes are purged too.
   */
  private void purge(Snapshot job) {
    for (Class<? extends HasMetadata> kind : cache.kinds()) {
      if (kind == Pod.class || (kind == PersistentVolumeClaim.class && !job.purgeVolumes())) {
        continue;
      }
      try {
        for (HasMetadata o :
            client
                .resources(kind)
                .inNamespace(job.namespace())
                .withLabel(Labels.JOB_ID, job.jobId().toString())
                .list()
                .getItems()) {
          applier.delete(o);
        }
      } catch (KubernetesClientException e) {
        throw new ApplyException(
            ApplyException.Reason.KubernetesApiError,
            "Kubernetes API: listing "
                + kind.getSimpleName()
                + "s to delete failed: HTTP "
                + e.getCode());
      }
    }
  }

  private void fail(ReconcileStore.Claim claim, Snapshot job, ApplyException e) {
    Duration retry = backoff(job.failures());
    LOG.warnf(
        "job=%s/%s revision=%d not applied: %s: %s (retry in %ds)",
        job.namespace(), job.name(), job.revision(), e.reason(), e.getMessage(), retry.toSeconds());
    metrics.kubernetesError(e.reason().name());
    store.recordFailure(claim, job, e, retry);
  }

  /** Exponential backoff with jitter, so many failing jobs do not retry in lockstep. */
  Duration backoff(int failures) {
    long min = config.minBackoff().toMillis();
    long max = config.maxBackoff().toMillis();
    long base = Math.min(max, min * (1L << Math.min(failures, 20)));
    long jitter = (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(Math.min(max, base + jitter));
  }
}
