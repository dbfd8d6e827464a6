package io.sluice.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sluice.engine.SparkApplication;
import io.sluice.engine.SparkOptions;
import io.sluice.job.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The SparkApplication of one run of a spark job, built from the revision the run started on. Pure.
 * Driver and executors get what every Sluice pod gets (labels, config, claims, env, Secrets, the
 * restricted security contexts); only the driver may get the ServiceAccount's token, because the
 * driver is what asks Kubernetes for executor pods.
 */
public final class SparkApplications {
  private SparkApplications() {}

  /** How long the operator keeps a finished application (and its driver pod, and so its logs). */
  public static final long TIME_TO_LIVE_SECONDS = 86400;

  public static SparkApplication render(RenderInput job, RenderInput.RunInput run) {
    JobSpec spec = job.specOf(run.revision());
    SparkOptions spark = spec.spark();
    ObjectMeta meta =
        Workloads.metadata(job, Names.runJob(job.name(), run.number()), run.revision());
    meta.getLabels().put(Labels.RUN, Integer.toString(run.number()));
    SparkApplication.Spec s = new SparkApplication.Spec();
    s.type = spark.type().name();
    s.sparkVersion = spark.sparkVersion();
    s.mode = "cluster";
    s.image = spec.image();
    s.mainClass = spark.mainClass();
    s.mainApplicationFile = spark.mainApplicationFile();
    s.arguments =
        new ArrayList<>(
            run.args() != null && !run.args().isEmpty() ? run.args() : spark.argumentsOrEmpty());
    s.sparkConf = new LinkedHashMap<>(spark.sparkConfOrEmpty());
    s.hadoopConf = new LinkedHashMap<>(spark.hadoopConfOrEmpty());
    s.volumes = PodTemplates.volumes(job, spec, PodTemplates.Claims.STANDALONE);
    s.driver = driver(job, spec, run);
    s.executor = executor(job, spec, run);
    s.restartPolicy = restartPolicy(spark.restartPolicy());
    s.timeToLiveSeconds = TIME_TO_LIVE_SECONDS;
    s.dynamicAllocation = dynamicAllocation(spark.dynamicAllocation(), job.scaleReplicas());
    SparkApplication app = new SparkApplication();
    app.setMetadata(meta);
    app.setSpec(s);
    return app;
  }

  private static SparkApplication.DriverSpec driver(
      RenderInput job, JobSpec spec, RenderInput.RunInput run) {
    SparkOptions.Driver d = spec.spark().driver();
    SparkApplication.DriverSpec driver = new SparkApplication.DriverSpec();
    pod(driver, job, spec, run);
    driver.cores = d == null || d.cores() == null ? SparkOptions.DEFAULT_CORES : d.cores();
    driver.memory = d == null || d.memory() == null ? SparkOptions.DEFAULT_MEMORY : d.memory();
    driver.memoryOverhead = d == null ? null : d.memoryOverhead();
    driver.serviceAccount = spec.serviceAccountName();
    driver.template =
        template(
            SparkApplication.DRIVER_CONTAINER,
            Boolean.TRUE.equals(spec.automountServiceAccountToken()));
    return driver;
  }

  private static SparkApplication.ExecutorSpec executor(
      RenderInput job, JobSpec spec, RenderInput.RunInput run) {
    SparkOptions.Executor e = spec.spark().executor();
    SparkApplication.ExecutorSpec executor = new SparkApplication.ExecutorSpec();
    pod(executor, job, spec, run);
    executor.cores = e == null || e.cores() == null ? SparkOptions.DEFAULT_CORES : e.cores();
    executor.memory = e == null || e.memory() == null ? SparkOptions.DEFAULT_MEMORY : e.memory();
    executor.memoryOverhead = e == null ? null : e.memoryOverhead();
    if (spec.spark().dynamicAllocation() == null) {
      executor.instances = spec.spark().executorsAtMost(job.scaleReplicas());
    }
    // Executors never talk to the Kubernetes API: no token, whatever the driver has.
    executor.template = template(SparkApplication.EXECUTOR_CONTAINER, false);
    return executor;
  }

  /** What driver and executor pods share. */
  private static void pod(
      SparkApplication.PodSpec pod, RenderInput job, JobSpec spec, RenderInput.RunInput run) {
    pod.labels = PodTemplates.labels(job, run);
    pod.annotations = PodTemplates.annotations(spec, run.revision());
    pod.env = PodTemplates.env(job, spec, run.revision(), run);
    pod.envFrom = PodTemplates.envFrom(job, spec);
    pod.volumeMounts = PodTemplates.mounts(job, spec);
    pod.tolerations = new ArrayList<>(PodTemplates.tolerations(spec));
    pod.nodeSelector =
        spec.nodeSelector() == null ? null : new LinkedHashMap<>(spec.nodeSelector());
    pod.podSecurityContext = PodTemplates.podSecurity(spec.securityContext());
    pod.securityContext = PodTemplates.containerSecurity();
  }

  /**
   * The pod template Spark starts the pod from: only what the SparkPodSpec fields cannot say (the
   * token). Its one container carries the name Spark gives that role's container.
   */
  private static PodTemplateSpec template(String container, boolean token) {
    Container c = new Container();
    c.setName(container);
    PodSpec pod = new PodSpec();
    pod.setContainers(new ArrayList<>(List.of(c)));
    pod.setAutomountServiceAccountToken(token);
    PodTemplateSpec template = new PodTemplateSpec();
    template.setSpec(pod);
    return template;
  }

  private static SparkApplication.RestartPolicy restartPolicy(SparkOptions.RestartPolicy given) {
    SparkApplication.RestartPolicy policy = new SparkApplication.RestartPolicy();
    policy.type = given == null || given.type() == null ? "Never" : given.type().name();
    if (given != null) {
      policy.onFailureRetries = given.onFailureRetries();
      policy.onFailureRetryInterval = given.onFailureRetryInterval();
      policy.onSubmissionFailureRetries = given.onSubmissionFailureRetries();
      policy.onSubmissionFailureRetryInterval = given.onSubmissionFailureRetryInterval();
    }
    return policy;
  }

  /** Dynamic allocation with shuffle tracking; a scaled count sets its maximum. */
  private static SparkApplication.DynamicAllocation dynamicAllocation(
      SparkOptions.DynamicAllocation given, Integer scaled) {
    if (given == null) {
      return null;
    }
    SparkApplication.DynamicAllocation d = new SparkApplication.DynamicAllocation();
    d.enabled = true;
    d.minExecutors = given.minExecutors();
    d.maxExecutors = scaled != null ? scaled : given.maxExecutors();
    d.initialExecutors = given.initialExecutors();
    d.shuffleTrackingEnabled = true;
    return d;
  }
}
