package io.sluice.render;

import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A snapshot of one job, everything rendering needs and nothing else: its identity, its current
 * revision, and the runs that should have a Kubernetes Job right now. Rendering is a pure function
 * of this record.
 *
 * @param openRuns unfinished runs
 * @param revisionSpecs specs of older revisions still used by open runs, by revision number
 */
public record RenderInput(
    UUID jobId,
    String namespace,
    String name,
    JobType type,
    Workload workload,
    int revision,
    JobSpec spec,
    List<RunInput> openRuns,
    Map<Integer, JobSpec> revisionSpecs,
    Integer scaleReplicas,
    boolean suspended) {

  /** A snapshot without scale state (as most tests and previews need). */
  public RenderInput(
      UUID jobId,
      String namespace,
      String name,
      JobType type,
      Workload workload,
      int revision,
      JobSpec spec,
      List<RunInput> openRuns,
      Map<Integer, JobSpec> revisionSpecs) {
    this(
        jobId,
        namespace,
        name,
        type,
        workload,
        revision,
        spec,
        openRuns,
        revisionSpecs,
        null,
        false);
  }

  /**
   * What a revision renders to with nothing running: for a batch or spark job, with the Job (or
   * SparkApplication) its next run would get (used to show manifests and to check pods before
   * anything is stored).
   */
  public static RenderInput preview(
      UUID jobId,
      String namespace,
      String name,
      JobType type,
      Workload workload,
      int revision,
      JobSpec spec,
      int nextRun) {
    List<RunInput> runs =
        workload == Workload.BATCH || workload == Workload.SPARK
            ? List.of(new RunInput(nextRun, revision, null, null, true))
            : List.of();
    return new RenderInput(jobId, namespace, name, type, workload, revision, spec, runs, Map.of());
  }

  /** This input with another scale and suspension (the scale endpoint's state). */
  public RenderInput withScale(Integer replicas, boolean suspend) {
    return new RenderInput(
        jobId,
        namespace,
        name,
        type,
        workload,
        revision,
        spec,
        openRuns,
        revisionSpecs,
        replicas,
        suspend);
  }

  /**
   * Replicas of a long-running workload: 0 while suspended, none while an autoscaler owns the
   * count, else the scaled count, else the spec's (default 1; for a Flink job, its parallelism).
   */
  public Integer replicas() {
    if (suspended) {
      return 0;
    }
    if (spec.autoscaling() != null) {
      return null;
    }
    if (scaleReplicas != null) {
      return scaleReplicas;
    }
    if (workload == Workload.FLINK) {
      return spec.flink().parallelismOrDefault();
    }
    return spec.replicas() == null ? 1 : spec.replicas();
  }

  /** Parallelism of a run's Job: the scaled count wins over the spec's. */
  public Integer parallelism(JobSpec of) {
    if (scaleReplicas != null) {
      return scaleReplicas;
    }
    return of.batch() == null ? null : of.batch().parallelism();
  }

  /**
   * An unfinished run: its number, revision and per-run overrides. Its ConfigMap is always kept;
   * its Kubernetes Job is rendered only while {@code createJob} (not yet created).
   */
  public record RunInput(
      int number, int revision, List<String> args, List<JobSpec.EnvVar> env, boolean createJob) {}

  /** The spec of a revision: the current one, or an older one an open run still uses. */
  public JobSpec specOf(int revision) {
    if (revision == this.revision) {
      return spec;
    }
    JobSpec older = revisionSpecs.get(revision);
    return older != null ? older : spec;
  }
}
