package io.sluice.reconcile;

import io.sluice.job.JobPhase;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import io.sluice.render.RenderInput;
import io.sluice.run.CreateRunRequest;
import io.sluice.run.RunPhase;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What PostgreSQL says one job should be, read at the start of a reconcile pass; {@code
 * passFingerprint} is what its last successful pass rendered from and left behind ({@link
 * PassFingerprint}), null when unknown. The spec is kept as stored and read the first time the pass
 * needs it ({@link #spec()}): a pass that finds nothing changed, as in a resync, never does.
 */
public record Snapshot(
    UUID jobId,
    String namespace,
    String name,
    JobType type,
    Workload workload,
    int revision,
    StoredSpec storedSpec,
    long generation,
    boolean deleted,
    boolean purgeVolumes,
    Integer appliedRevision,
    int failures,
    JobPhase phase,
    String conditions,
    List<OpenRun> runs,
    Map<Integer, JobSpec> revisionSpecs,
    Integer scaleReplicas,
    boolean suspended,
    Integer lastStableRevision,
    java.time.Instant appliedAt,
    boolean currentIsAutomaticRollback,
    byte[] passFingerprint) {

  /** The current revision's spec, read from its stored JSON on first use. */
  public JobSpec spec() {
    return storedSpec.get();
  }

  /** A spec as PostgreSQL stores it, read once, when first asked for. */
  public static final class StoredSpec {
    private final String json;
    private JobSpec read;

    public StoredSpec(String json) {
      this.json = json;
    }

    synchronized JobSpec get() {
      if (read == null) {
        read = io.sluice.job.SpecCodec.spec(json);
      }
      return read;
    }
  }

  /**
   * A run the reconciler has to act on: create its Job, check it still exists, or clean it up; with
   * what its row said of it when claimed (attempts, reason, message).
   */
  public record OpenRun(
      int number,
      int revision,
      RunPhase phase,
      String k8sName,
      boolean submitted,
      CreateRunRequest overrides,
      int attempts,
      String reason,
      String message) {

    /** Whether a pass creates this run's Job: it has not ended and none was submitted yet. */
    boolean needsJob() {
      return !submitted && !phase.isTerminal();
    }

    /** The run as the claim read it, as far as an observation can change it. */
    KnownRuns.Row row() {
      return new KnownRuns.Row(phase, attempts, reason, message);
    }
  }

  /** This snapshot with the specs of the older revisions its open runs use. */
  Snapshot withRevisionSpecs(Map<Integer, JobSpec> specs) {
    return new Snapshot(
        jobId,
        namespace,
        name,
        type,
        workload,
        revision,
        storedSpec,
        generation,
        deleted,
        purgeVolumes,
        appliedRevision,
        failures,
        phase,
        conditions,
        runs,
        specs,
        scaleReplicas,
        suspended,
        lastStableRevision,
        appliedAt,
        currentIsAutomaticRollback,
        passFingerprint);
  }

  /** The render input: unfinished runs, with a Job for those that have none yet. */
  public RenderInput renderInput() {
    return new RenderInput(
        jobId,
        namespace,
        name,
        type,
        workload,
        revision,
        spec(),
        runInputs(),
        revisionSpecs,
        scaleReplicas,
        suspended);
  }

  /** The unfinished runs as rendering takes them: a Job for those that have none yet. */
  public List<RenderInput.RunInput> runInputs() {
    return runs.stream()
        .filter(r -> !r.phase().isTerminal())
        .map(
            r ->
                new RenderInput.RunInput(
                    r.number(),
                    r.revision(),
                    r.overrides() == null ? null : r.overrides().args(),
                    r.overrides() == null ? null : r.overrides().env(),
                    r.needsJob()))
        .toList();
  }
}
