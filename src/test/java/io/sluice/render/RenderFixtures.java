package io.sluice.render;

import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.SpecCodec;
import io.sluice.job.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Job snapshots for rendering tests, built without Quarkus or a database. Specs are written as
 * JSON, the way users write them, so adding a spec field never breaks these fixtures.
 */
public final class RenderFixtures {
  private RenderFixtures() {}

  public static final UUID ID = UUID.fromString("01939c4e-8a9b-7c2d-9e1f-3a4b5c6d7e8f");

  public static final String FULL =
      """
      {"image": "ghcr.io/acme/app:1.0", "command": ["/bin/app"], "args": ["--verbose"],
       "env": [{"name": "LOG_LEVEL", "value": "debug"}],
       "config": {"app.yaml": "a: 1\\n"}, "configAsEnv": true, "secretRefs": ["db-credentials"],
       "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
       "volumes": [{"name": "data", "size": "10Gi", "storageClass": "fast", "mountPath": "/data"}],
       "ports": [{"name": "http", "containerPort": 8080}],
       "probes": {"readiness": {"httpGet": {"path": "/ready", "port": 8080}, "initialDelaySeconds": 5,
                                "periodSeconds": 10, "failureThreshold": 3}},
       "labels": {"team": "data"}, "annotations": {"acme.io/owner": "data-eng"},
       "nodeSelector": {"disktype": "ssd"},
       "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "data", "effect": "NoSchedule"}],
       "serviceAccountName": "app-sa", "automountServiceAccountToken": true}
      """;

  /** A spark spec with every option Sluice offers. */
  public static final String SPARK =
      """
      {"image": "apache/spark:3.5.3", "env": [{"name": "OUTPUT", "value": "s3a://w/out"}],
       "config": {"job.conf": "a=1\\n"}, "configAsEnv": true, "secretRefs": ["warehouse-s3"],
       "volumes": [{"name": "scratch", "size": "20Gi", "mountPath": "/scratch"}],
       "labels": {"team": "data"}, "annotations": {"acme.io/owner": "data-eng"},
       "nodeSelector": {"pool": "spark"},
       "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "spark", "effect": "NoSchedule"}],
       "serviceAccountName": "spark", "automountServiceAccountToken": true,
       "securityContext": {"runAsUser": 185, "runAsGroup": 185, "fsGroup": 185},
       "spark": {"type": "Scala", "mainClass": "org.apache.spark.examples.SparkPi",
         "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
         "arguments": ["1000"], "sparkVersion": "3.5.3",
         "driver": {"cores": 2, "memory": "2g", "memoryOverhead": "512m"},
         "executor": {"instances": 4, "cores": 3, "memory": "8g"},
         "sparkConf": {"spark.sql.shuffle.partitions": "64"},
         "hadoopConf": {"fs.s3a.endpoint": "http://minio:9000"},
         "restartPolicy": {"type": "OnFailure", "onFailureRetries": 2, "onFailureRetryInterval": 30,
                           "onSubmissionFailureRetries": 1, "onSubmissionFailureRetryInterval": 10}}}
      """;

  /** A flink spec with every option Sluice offers. */
  public static final String FLINK =
      """
      {"image": "flink:1.20", "env": [{"name": "TOPIC", "value": "clicks"}],
       "config": {"stream.conf": "w=60\\n"}, "secretRefs": ["kafka-credentials"],
       "volumes": [{"name": "spill", "size": "5Gi", "mountPath": "/spill"}],
       "labels": {"team": "stream"}, "annotations": {"acme.io/owner": "stream-eng"},
       "nodeSelector": {"pool": "flink"},
       "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "flink", "effect": "NoSchedule"}],
       "serviceAccountName": "flink", "automountServiceAccountToken": true,
       "rollout": {"progressDeadlineSeconds": 300, "autoRollback": true},
       "flink": {"jarURI": "local:///opt/flink/usrlib/sessions.jar", "entryClass": "io.acme.Sessions",
         "args": ["--window", "60"], "flinkVersion": "v1_20", "parallelism": 6,
         "jobManager": {"cpu": 0.5, "memory": "1g"},
         "taskManager": {"cpu": 2, "memory": "4g", "taskSlots": 4},
         "flinkConfiguration": {"execution.checkpointing.interval": "60s"},
         "upgradeMode": "savepoint", "checkpointDirectory": "s3://flink/cp",
         "savepointDirectory": "s3://flink/sp"}}
      """;

  public static JobSpec spec() {
    return SpecCodec.spec(FULL);
  }

  public static JobSpec spec(String json) {
    return SpecCodec.spec(json);
  }

  public static RenderInput input(Workload workload, JobSpec spec) {
    return new RenderInput(
        ID, "data", "app", JobType.PROCESSING, workload, 3, spec, List.of(), Map.of());
  }

  public static RenderInput input(
      Workload workload,
      JobSpec spec,
      List<RenderInput.RunInput> runs,
      Map<Integer, JobSpec> older) {
    return new RenderInput(ID, "data", "app", JobType.INGESTION, workload, 3, spec, runs, older);
  }

  /** {@code spec} with top-level fields replaced (a null value removes the field). */
  public static JobSpec with(JobSpec spec, Object... keyValues) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map =
        new LinkedHashMap<>(SpecCodec.read(SpecCodec.toJson(spec), Map.class));
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] == null) {
        map.remove((String) keyValues[i]);
      } else {
        map.put((String) keyValues[i], keyValues[i + 1]);
      }
    }
    return SpecCodec.spec(SpecCodec.toJson(map));
  }

  /**
   * What every workload renders in its richest form: with runs (one on an older revision),
   * overrides, scale and autoscaling.
   */
  public static List<Desired> everyWorkload() {
    List<Desired> out = new java.util.ArrayList<>();
    for (Workload workload : Workload.values()) {
      JobSpec spec =
          switch (workload) {
            case SPARK -> spec(SPARK);
            case FLINK -> spec(FLINK);
            case SCHEDULED -> with(spec(), "schedule", "0 3 * * *", "volumes", null);
            case SERVICE ->
                with(
                    spec(),
                    "autoscaling",
                    Map.of(
                        "minReplicas", 2, "maxReplicas", 6, "targetCPUUtilizationPercentage", 70));
            default -> spec();
          };
      List<RenderInput.RunInput> runs =
          List.of(
              new RenderInput.RunInput(
                  4,
                  3,
                  List.of("--date", "2026-12-01"),
                  List.of(new JobSpec.EnvVar("MODE", "full")),
                  true),
              new RenderInput.RunInput(5, 2, null, null, true));
      for (Integer scale : new Integer[] {null, 4}) {
        RenderInput input =
            new RenderInput(
                ID,
                "data",
                "app",
                JobType.PROCESSING,
                workload,
                3,
                spec,
                workload.isLongRunning() ? List.of() : runs,
                workload.isLongRunning() ? Map.of() : Map.of(2, with(spec, "image", "img:old")),
                workload.isLongRunning() ? scale : null,
                false);
        out.addAll(Renderer.render(input));
      }
    }
    return out;
  }
}
