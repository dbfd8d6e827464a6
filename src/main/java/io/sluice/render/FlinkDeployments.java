package io.sluice.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.FlinkOptions;
import io.sluice.job.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FlinkDeployment of a flink job at its current revision: application mode, the job's jar and
 * parallelism, and one pod template every Flink pod starts from (labels, config, claims, env,
 * Secrets, the restricted security contexts). Only the JobManager may get the ServiceAccount's
 * token: it is what asks Kubernetes for TaskManager pods. Pure.
 */
public final class FlinkDeployments {
  private FlinkDeployments() {}

  /** Configuration keys Sluice sets from the job's spec; a user's flinkConfiguration may not. */
  public static final String TASK_SLOTS = "taskmanager.numberOfTaskSlots";

  public static final String HA_TYPE = "high-availability.type";
  public static final String HA_DIR = "high-availability.storageDir";

  /** The checkpoint and savepoint directory options, which Flink 2 renamed. */
  public static String checkpointKey(FlinkOptions.FlinkVersion version) {
    return version.isTwo() ? "execution.checkpointing.dir" : "state.checkpoints.dir";
  }

  public static String savepointKey(FlinkOptions.FlinkVersion version) {
    return version.isTwo() ? "execution.checkpointing.savepoint-dir" : "state.savepoints.dir";
  }

  /** Every key Sluice sets for a version of Flink. */
  public static List<String> ownedKeys(FlinkOptions.FlinkVersion version) {
    return List.of(TASK_SLOTS, HA_TYPE, HA_DIR, checkpointKey(version), savepointKey(version));
  }

  public static FlinkDeployment render(RenderInput job) {
    JobSpec spec = job.spec();
    FlinkOptions flink = spec.flink();
    ObjectMeta meta = Workloads.metadata(job, Names.workload(job.name()), job.revision());
    FlinkDeployment.Spec s = new FlinkDeployment.Spec();
    s.image = spec.image();
    s.serviceAccount = spec.serviceAccountName();
    s.flinkVersion = flink.flinkVersion().name();
    s.mode = "native";
    s.flinkConfiguration = configuration(flink);
    s.podTemplate = podTemplate(job, spec);
    s.jobManager = new FlinkDeployment.JobManagerSpec();
    s.jobManager.replicas = 1;
    s.jobManager.resource =
        resource(
            flink.jobManager() == null ? null : flink.jobManager().cpu(),
            flink.jobManager() == null ? null : flink.jobManager().memory());
    s.jobManager.podTemplate = token(Boolean.TRUE.equals(spec.automountServiceAccountToken()));
    s.taskManager = new FlinkDeployment.TaskManagerSpec();
    s.taskManager.resource =
        resource(
            flink.taskManager() == null ? null : flink.taskManager().cpu(),
            flink.taskManager() == null ? null : flink.taskManager().memory());
    s.taskManager.podTemplate = token(false);
    s.job = new FlinkDeployment.JobSpec();
    s.job.jarURI = flink.jarURI();
    s.job.entryClass = flink.entryClass();
    s.job.args = new ArrayList<>(flink.argsOrEmpty());
    s.job.parallelism = parallelism(job);
    s.job.upgradeMode = flink.upgradeModeOrDefault().value();
    s.job.state = suspended(job) ? "suspended" : "running";
    FlinkDeployment deployment = new FlinkDeployment();
    deployment.setMetadata(meta);
    deployment.setSpec(s);
    return deployment;
  }

  /** The scaled parallelism, else the spec's; scaling to zero suspends instead. */
  public static int parallelism(RenderInput job) {
    Integer scaled = job.scaleReplicas();
    return scaled != null && scaled > 0 ? scaled : job.spec().flink().parallelismOrDefault();
  }

  /** Suspended by the suspend endpoint, or scaled to zero: the operator takes a savepoint. */
  public static boolean suspended(RenderInput job) {
    return job.suspended() || Integer.valueOf(0).equals(job.scaleReplicas());
  }

  private static Map<String, String> configuration(FlinkOptions flink) {
    Map<String, String> conf = new LinkedHashMap<>(flink.flinkConfigurationOrEmpty());
    conf.put(TASK_SLOTS, Integer.toString(flink.slotsOrDefault()));
    if (flink.checkpointDirectory() != null) {
      conf.put(checkpointKey(flink.flinkVersion()), flink.checkpointDirectory());
    }
    if (flink.savepointDirectory() != null) {
      conf.put(savepointKey(flink.flinkVersion()), flink.savepointDirectory());
    }
    if (flink.upgradeModeOrDefault() == FlinkOptions.UpgradeMode.LAST_STATE) {
      // last-state upgrades read the latest checkpoint from Kubernetes HA metadata.
      conf.put(HA_TYPE, "kubernetes");
      conf.put(HA_DIR, flink.checkpointDirectory() + "/ha");
    }
    return conf;
  }

  private static FlinkDeployment.Resource resource(Double cpu, String memory) {
    return new FlinkDeployment.Resource(
        cpu == null ? FlinkOptions.DEFAULT_CPU : cpu,
        memory == null ? FlinkOptions.DEFAULT_MEMORY : memory);
  }

  /** The pod template of every Flink pod: the operator merges it into the main container. */
  private static PodTemplateSpec podTemplate(RenderInput job, JobSpec spec) {
    Container main = new Container();
    main.setName(FlinkDeployment.MAIN_CONTAINER);
    main.setEnv(new ArrayList<>(PodTemplates.env(job, spec, job.revision(), null)));
    main.setEnvFrom(new ArrayList<>(PodTemplates.envFrom(job, spec)));
    main.setVolumeMounts(new ArrayList<>(PodTemplates.mounts(job, spec)));
    main.setSecurityContext(PodTemplates.containerSecurity());
    PodSpec pod = new PodSpec();
    pod.setContainers(new ArrayList<>(List.of(main)));
    pod.setVolumes(PodTemplates.volumes(job, spec, PodTemplates.Claims.STANDALONE));
    pod.setSecurityContext(PodTemplates.podSecurity(spec.securityContext()));
    pod.setAutomountServiceAccountToken(false);
    pod.setNodeSelector(
        spec.nodeSelector() == null ? null : new LinkedHashMap<>(spec.nodeSelector()));
    pod.setTolerations(new ArrayList<>(PodTemplates.tolerations(spec)));
    ObjectMeta meta = new ObjectMeta();
    meta.setLabels(PodTemplates.labels(job, null));
    meta.setAnnotations(PodTemplates.annotations(spec, job.revision()));
    return new PodTemplateSpec(meta, pod);
  }

  /** A JobManager or TaskManager template that says only whether the pod gets the token. */
  private static PodTemplateSpec token(boolean token) {
    PodSpec pod = new PodSpec();
    pod.setAutomountServiceAccountToken(token);
    PodTemplateSpec template = new PodTemplateSpec();
    template.setSpec(pod);
    return template;
  }
}
