package io.sluice.render;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.sluice.job.CronSchedule;
import io.sluice.job.JobSpec.BatchSpec;
import io.sluice.job.JobSpec.Scheduling;
import java.util.LinkedHashMap;
import java.util.Map;

/** The workload object of each kind of job: Deployment, StatefulSet, CronJob, or a run's Job. */
public final class Workloads {
  private Workloads() {}

  /** Default replicas of a long-running workload whose spec does not say. */
  public static final int DEFAULT_REPLICAS = 1;

  /**
   * The pod template the job's workload carries at its current revision (a run's Job adds only its
   * run label and overrides): what admission checks without rendering the objects around it.
   */
  public static PodTemplateSpec podTemplate(RenderInput job) {
    return PodTemplates.render(
        job,
        job.spec(),
        job.revision(),
        null,
        job.workload().isLongRunning() ? "Always" : "Never",
        job.workload() == io.sluice.job.Workload.STATEFUL
            ? PodTemplates.Claims.TEMPLATES
            : PodTemplates.Claims.STANDALONE);
  }

  public static Deployment deployment(RenderInput job) {
    return new DeploymentBuilder()
        .withMetadata(metadata(job, Names.workload(job.name()), job.revision()))
        .withNewSpec()
        .withReplicas(replicas(job))
        .withProgressDeadlineSeconds(
            job.spec().rollout() == null ? null : job.spec().rollout().progressDeadlineSeconds())
        .withSelector(
            new LabelSelectorBuilder().withMatchLabels(Labels.selector(job.jobId())).build())
        .withTemplate(podTemplate(job))
        .endSpec()
        .build();
  }

  public static StatefulSet statefulSet(RenderInput job) {
    return new StatefulSetBuilder()
        .withMetadata(metadata(job, Names.workload(job.name()), job.revision()))
        .withNewSpec()
        .withReplicas(replicas(job))
        .withServiceName(Names.service(job.name()))
        .withSelector(
            new LabelSelectorBuilder().withMatchLabels(Labels.selector(job.jobId())).build())
        .withTemplate(podTemplate(job))
        .withVolumeClaimTemplates(Claims.templates(job))
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted("Retain")
        .withWhenScaled("Retain")
        .endPersistentVolumeClaimRetentionPolicy()
        .endSpec()
        .build();
  }

  public static CronJob cronJob(RenderInput job) {
    Scheduling scheduling = job.spec().scheduling();
    Map<String, String> labels = Labels.of(job);
    return new CronJobBuilder()
        .withMetadata(metadata(job, Names.workload(job.name()), job.revision()))
        .withNewSpec()
        .withSchedule(CronSchedule.normalise(job.spec().schedule()))
        .withTimeZone(scheduling == null ? null : scheduling.timeZone())
        .withConcurrencyPolicy(
            scheduling == null || scheduling.concurrencyPolicy() == null
                ? "Forbid"
                : scheduling.concurrencyPolicy().name())
        .withStartingDeadlineSeconds(
            scheduling == null ? null : scheduling.startingDeadlineSeconds())
        .withSuccessfulJobsHistoryLimit(
            scheduling == null || scheduling.successfulJobsHistoryLimit() == null
                ? 3
                : scheduling.successfulJobsHistoryLimit())
        .withFailedJobsHistoryLimit(
            scheduling == null || scheduling.failedJobsHistoryLimit() == null
                ? 1
                : scheduling.failedJobsHistoryLimit())
        .withSuspend(job.suspended())
        .withNewJobTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .addToAnnotations(Labels.REVISION_ANNOTATION, Integer.toString(job.revision()))
        .endMetadata()
        .withSpec(jobSpec(job, job.spec(), job.revision(), null))
        .endJobTemplate()
        .endSpec()
        .build();
  }

  /** The Kubernetes Job of one run, built from the revision the run was started on. */
  public static Job runJob(RenderInput job, RenderInput.RunInput run) {
    io.sluice.job.JobSpec spec = job.specOf(run.revision());
    ObjectMeta meta = metadata(job, Names.runJob(job.name(), run.number()), run.revision());
    meta.getLabels().put(Labels.RUN, Integer.toString(run.number()));
    return new JobBuilder()
        .withMetadata(meta)
        .withSpec(jobSpec(job, spec, run.revision(), run))
        .build();
  }

  private static JobSpec jobSpec(
      RenderInput job, io.sluice.job.JobSpec spec, int revision, RenderInput.RunInput run) {
    BatchSpec batch = spec.batch();
    return new JobSpecBuilder()
        .withParallelism(job.parallelism(spec))
        .withSuspend(run != null && job.suspended() ? Boolean.TRUE : null)
        .withCompletions(batch == null ? null : batch.completions())
        .withBackoffLimit(batch == null || batch.backoffLimit() == null ? 3 : batch.backoffLimit())
        .withActiveDeadlineSeconds(batch == null ? null : batch.activeDeadlineSeconds())
        .withTtlSecondsAfterFinished(
            batch == null || batch.ttlSecondsAfterFinished() == null
                ? 86400
                : batch.ttlSecondsAfterFinished())
        .withTemplate(
            PodTemplates.render(job, spec, revision, run, "Never", PodTemplates.Claims.STANDALONE))
        .build();
  }

  static Integer replicas(RenderInput job) {
    return job.replicas();
  }

  static ObjectMeta metadata(RenderInput job, String name, int revision) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Labels.REVISION_ANNOTATION, Integer.toString(revision));
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(job.namespace())
        .withLabels(new LinkedHashMap<>(Labels.of(job)))
        .withAnnotations(annotations)
        .build();
  }
}
