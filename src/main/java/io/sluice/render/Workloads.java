package io.sluice.render;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
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

  // Workloads carrying a pod template are built with setters: a fabric8 builder deep-copies the
  // template it is given, and again on build().

  public static Deployment deployment(RenderInput job) {
    DeploymentSpec spec = new DeploymentSpec();
    spec.setReplicas(replicas(job));
    spec.setProgressDeadlineSeconds(
        job.spec().rollout() == null ? null : job.spec().rollout().progressDeadlineSeconds());
    spec.setSelector(selector(job));
    spec.setTemplate(podTemplate(job));
    Deployment deployment = new Deployment();
    deployment.setMetadata(metadata(job, Names.workload(job.name()), job.revision()));
    deployment.setSpec(spec);
    return deployment;
  }

  public static StatefulSet statefulSet(RenderInput job) {
    StatefulSetSpec spec = new StatefulSetSpec();
    spec.setReplicas(replicas(job));
    spec.setServiceName(Names.service(job.name()));
    spec.setSelector(selector(job));
    spec.setTemplate(podTemplate(job));
    spec.setVolumeClaimTemplates(Claims.templates(job));
    spec.setPersistentVolumeClaimRetentionPolicy(
        new StatefulSetPersistentVolumeClaimRetentionPolicy("Retain", "Retain"));
    StatefulSet statefulSet = new StatefulSet();
    statefulSet.setMetadata(metadata(job, Names.workload(job.name()), job.revision()));
    statefulSet.setSpec(spec);
    return statefulSet;
  }

  private static LabelSelector selector(RenderInput job) {
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Labels.selector(job.jobId()));
    return selector;
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
    Job runJob = new Job();
    runJob.setMetadata(meta);
    runJob.setSpec(jobSpec(job, spec, run.revision(), run));
    return runJob;
  }

  private static JobSpec jobSpec(
      RenderInput job, io.sluice.job.JobSpec spec, int revision, RenderInput.RunInput run) {
    BatchSpec batch = spec.batch();
    JobSpec jobSpec = new JobSpec();
    jobSpec.setParallelism(job.parallelism(spec));
    jobSpec.setSuspend(run != null && job.suspended() ? Boolean.TRUE : null);
    jobSpec.setCompletions(batch == null ? null : batch.completions());
    jobSpec.setBackoffLimit(
        batch == null || batch.backoffLimit() == null ? 3 : batch.backoffLimit());
    jobSpec.setActiveDeadlineSeconds(batch == null ? null : batch.activeDeadlineSeconds());
    jobSpec.setTtlSecondsAfterFinished(
        batch == null || batch.ttlSecondsAfterFinished() == null
            ? 86400
            : batch.ttlSecondsAfterFinished());
    jobSpec.setTemplate(
        PodTemplates.render(job, spec, revision, run, "Never", PodTemplates.Claims.STANDALONE));
    return jobSpec;
  }

  static Integer replicas(RenderInput job) {
    return job.replicas();
  }

  public static ObjectMeta metadata(RenderInput job, String name, int revision) {
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
