package io.sluice.job;

import io.sluice.engine.FlinkOptions;
import io.sluice.engine.MemorySize;
import io.sluice.engine.SparkOptions;
import io.sluice.render.FlinkDeployments;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of the spark and flink workloads' fields, beyond Bean Validation: which job fields an
 * engine takes, the engines' own formats (memory in their units, URIs, class names), and the
 * configuration keys a job may not set because Sluice sets them — or because they would let a pod
 * escape what the rest of the spec and the namespace's policy allow (pod templates, volumes,
 * Secrets, labels, namespaces, credentials).
 */
final class EngineSpecChecks {
  private EngineSpecChecks() {}

  private static final Pattern URI = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s\\p{Cntrl}]+");
  private static final Pattern DIRECTORY =
      Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\\p{Cntrl}]+");
  private static final Pattern CLASS_NAME =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final Pattern SPARK_VERSION =
      Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}(\\.[0-9]{1,3})?");
  private static final Pattern SPARK_KEY = Pattern.compile("spark\\.[A-Za-z0-9._-]+");
  private static final Pattern CONF_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** spark.kubernetes.* keys that only tune scheduling; every other one is Sluice's to set. */
  static final List<String> SPARK_KUBERNETES_ALLOWED =
      List.of(
          "spark.kubernetes.allocation.batch.size",
          "spark.kubernetes.allocation.batch.delay",
          "spark.kubernetes.executor.request.cores",
          "spark.kubernetes.driver.request.cores",
          "spark.kubernetes.executor.deleteOnTermination",
          "spark.kubernetes.executor.missingPodDetectDelta",
          "spark.kubernetes.submission.waitAppCompletion");

  /** Spark properties the job's fields set: sizes, counts and allocation. */
  static final List<String> SPARK_OWNED_PREFIXES =
      List.of(
          "spark.driver.memory",
          "spark.driver.cores",
          "spark.driver.memoryOverhead",
          "spark.executor.memory",
          "spark.executor.cores",
          "spark.executor.instances",
          "spark.executor.memoryOverhead",
          "spark.dynamicAllocation.",
          "spark.master",
          "spark.submit.deployMode");

  static void check(Workload workload, JobType type, JobSpec spec, JobSpecValidator.Errors errors) {
    if (workload != Workload.SPARK && spec.spark() != null) {
      errors.add("spec.spark", "only spark workloads take spark options");
    }
    if (workload != Workload.FLINK && spec.flink() != null) {
      errors.add("spec.flink", "only flink workloads take flink options");
    }
    if (!workload.isEngine()) {
      return;
    }
    if (type == JobType.STORAGE) {
      errors.add(
          "workload",
          "spark and flink workloads are for processing and ingestion jobs, not storage");
    }
    refuse(spec.ports() != null && !spec.ports().isEmpty(), "spec.ports", workload, errors);
    refuse(spec.probes() != null, "spec.probes", workload, errors);
    refuse(spec.replicas() != null, "spec.replicas", workload, errors);
    refuse(spec.resources() != null, "spec.resources", workload, errors);
    refuse(spec.batch() != null, "spec.batch", workload, errors);
    refuse(spec.autoscaling() != null, "spec.autoscaling", workload, errors);
    refuse(spec.command() != null && !spec.command().isEmpty(), "spec.command", workload, errors);
    refuse(spec.args() != null && !spec.args().isEmpty(), "spec.args", workload, errors);
    if (workload == Workload.SPARK) {
      refuse(spec.rollout() != null, "spec.rollout", workload, errors);
    }
    if (spec.serviceAccountName() == null
        || !Boolean.TRUE.equals(spec.automountServiceAccountToken())) {
      errors.add(
          "spec.serviceAccountName",
          (workload == Workload.SPARK
                  ? "a Spark driver asks Kubernetes for its executors"
                  : "a Flink JobManager asks Kubernetes for its TaskManagers")
              + ": name the ServiceAccount it does so as (one allowed to manage pods in this"
              + " namespace) and set automountServiceAccountToken: true; only that pod gets the"
              + " token, and the namespace's policy must allow both");
    }
    if (workload == Workload.SPARK) {
      if (spec.spark() == null) {
        errors.add("spec.spark", "is required for spark workloads");
      } else {
        spark(spec.spark(), errors);
      }
    } else if (spec.flink() == null) {
      errors.add("spec.flink", "is required for flink workloads");
    } else {
      flink(spec.flink(), errors);
    }
  }

  private static void refuse(
      boolean present, String field, Workload workload, JobSpecValidator.Errors errors) {
    if (present) {
      errors.add(
          field,
          "a "
              + workload.value()
              + " job does not take "
              + field.substring("spec.".length())
              + "; say it in spec."
              + workload.value());
    }
  }

  private static void spark(SparkOptions spark, JobSpecValidator.Errors errors) {
    String at = "spec.spark";
    uri(at + ".mainApplicationFile", spark.mainApplicationFile(), errors);
    if (spark.type() == SparkOptions.Type.Java || spark.type() == SparkOptions.Type.Scala) {
      if (spark.mainClass() == null || spark.mainClass().isBlank()) {
        errors.add(at + ".mainClass", "is required for " + spark.type() + " applications");
      }
    }
    className(at + ".mainClass", spark.mainClass(), errors);
    if (spark.sparkVersion() != null
        && !spark.sparkVersion().isBlank()
        && !SPARK_VERSION.matcher(spark.sparkVersion()).matches()) {
      errors.add(at + ".sparkVersion", "must be a Spark version such as 3.5.3");
    }
    if (spark.driver() != null) {
      memory(at + ".driver.memory", spark.driver().memory(), errors);
      memory(at + ".driver.memoryOverhead", spark.driver().memoryOverhead(), errors);
    }
    if (spark.executor() != null) {
      memory(at + ".executor.memory", spark.executor().memory(), errors);
      memory(at + ".executor.memoryOverhead", spark.executor().memoryOverhead(), errors);
    }
    SparkOptions.DynamicAllocation d = spark.dynamicAllocation();
    if (d != null) {
      if (spark.executor() != null && spark.executor().instances() != null) {
        errors.add(
            at + ".executor.instances",
            "cannot be set together with dynamicAllocation; its maxExecutors bounds the count");
      }
      if (d.minExecutors() != null
          && d.maxExecutors() != null
          && d.minExecutors() > d.maxExecutors()) {
        errors.add(at + ".dynamicAllocation.minExecutors", "must not exceed maxExecutors");
      }
      if (d.initialExecutors() != null
          && d.maxExecutors() != null
          && (d.initialExecutors() > d.maxExecutors()
              || (d.minExecutors() != null && d.initialExecutors() < d.minExecutors()))) {
        errors.add(
            at + ".dynamicAllocation.initialExecutors",
            "must lie between minExecutors and maxExecutors");
      }
    }
    for (Map.Entry<String, String> e : spark.sparkConfOrEmpty().entrySet()) {
      String key = e.getKey();
      String field = at + ".sparkConf." + key;
      if (!SPARK_KEY.matcher(key).matches()) {
        errors.add(
            field,
            "keys must be Spark properties: spark. followed by letters, digits, '.', '_' or '-'");
      } else if (key.startsWith("spark.kubernetes.") && !SPARK_KUBERNETES_ALLOWED.contains(key)) {
        errors.add(
            field,
            "spark.kubernetes.* properties are Sluice's to set (pod templates, volumes, Secrets,"
                + " labels, credentials and namespaces come from the job's spec); allowed: "
                + SPARK_KUBERNETES_ALLOWED);
      } else if (SPARK_OWNED_PREFIXES.stream().anyMatch(key::startsWith)) {
        errors.add(
            field,
            "is set from spec.spark (driver, executor, dynamicAllocation), where the namespace's"
                + " policy checks it");
      } else if (key.startsWith("spark.executorEnv.SLUICE_")) {
        errors.add(field, "the SLUICE_ prefix is reserved for variables Sluice sets");
      }
    }
    for (String key : spark.hadoopConfOrEmpty().keySet()) {
      if (!CONF_KEY.matcher(key).matches()) {
        errors.add(
            at + ".hadoopConf." + key, "keys must consist of letters, digits, '.', '_' or '-'");
      }
    }
  }

  private static void flink(FlinkOptions flink, JobSpecValidator.Errors errors) {
    String at = "spec.flink";
    uri(at + ".jarURI", flink.jarURI(), errors);
    className(at + ".entryClass", flink.entryClass(), errors);
    if (flink.jobManager() != null) {
      memory(at + ".jobManager.memory", flink.jobManager().memory(), errors);
    }
    if (flink.taskManager() != null) {
      memory(at + ".taskManager.memory", flink.taskManager().memory(), errors);
    }
    directory(at + ".checkpointDirectory", flink.checkpointDirectory(), errors);
    directory(at + ".savepointDirectory", flink.savepointDirectory(), errors);
    FlinkOptions.UpgradeMode mode = flink.upgradeModeOrDefault();
    if (mode == FlinkOptions.UpgradeMode.SAVEPOINT && flink.savepointDirectory() == null) {
      errors.add(
          at + ".savepointDirectory",
          "is required with upgradeMode savepoint: upgrades, scaling and rollbacks take a savepoint"
              + " there");
    }
    if (mode == FlinkOptions.UpgradeMode.LAST_STATE && flink.checkpointDirectory() == null) {
      errors.add(
          at + ".checkpointDirectory",
          "is required with upgradeMode last-state: upgrades resume from the latest checkpoint");
    }
    List<String> owned =
        flink.flinkVersion() == null
            ? List.of(FlinkDeployments.TASK_SLOTS)
            : FlinkDeployments.ownedKeys(flink.flinkVersion());
    for (String key : flink.flinkConfigurationOrEmpty().keySet()) {
      String field = at + ".flinkConfiguration." + key;
      if (!CONF_KEY.matcher(key).matches()) {
        errors.add(field, "keys must consist of letters, digits, '.', '_' or '-'");
      } else if (owned.contains(key)) {
        errors.add(
            field,
            "is set from spec.flink (taskManager.taskSlots, checkpointDirectory,"
                + " savepointDirectory, upgradeMode)");
      } else if (key.startsWith("kubernetes.") && !key.startsWith("kubernetes.operator.")) {
        errors.add(
            field,
            "kubernetes.* options are Sluice's to set (pod templates, ServiceAccount, Secrets,"
                + " labels and namespaces come from the job's spec); kubernetes.operator.* options"
                + " are allowed");
      } else if (key.equals("jobmanager.memory.process.size")
          || key.equals("taskmanager.memory.process.size")) {
        errors.add(
            field,
            "is set from spec.flink (jobManager.memory, taskManager.memory), where the namespace's policy checks it");
      } else if (key.startsWith("containerized.") && key.contains(".env.SLUICE_")) {
        errors.add(field, "the SLUICE_ prefix is reserved for variables Sluice sets");
      }
    }
  }

  private static void memory(String field, String value, JobSpecValidator.Errors errors) {
    if (value != null && !MemorySize.valid(value)) {
      errors.add(field, MemorySize.RULE);
    }
  }

  private static void uri(String field, String value, JobSpecValidator.Errors errors) {
    if (value != null && !value.isBlank() && !URI.matcher(value).matches()) {
      errors.add(
          field,
          "must be a URI with a scheme and no spaces, e.g. local:///opt/app/app.jar or"
              + " s3a://bucket/app.jar");
    }
  }

  private static void directory(String field, String value, JobSpecValidator.Errors errors) {
    if (value != null && !DIRECTORY.matcher(value).matches()) {
      errors.add(
          field, "must be a URI such as s3://bucket/path or file:///flink/state, without spaces");
    }
  }

  private static void className(String field, String value, JobSpecValidator.Errors errors) {
    if (value != null && !value.isBlank() && !CLASS_NAME.matcher(value).matches()) {
      errors.add(field, "must be a fully qualified class name such as io.acme.Main");
    }
  }
}
