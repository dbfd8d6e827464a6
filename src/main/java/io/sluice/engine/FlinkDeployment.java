package io.sluice.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * The Apache Flink Kubernetes operator's FlinkDeployment ({@code flink.apache.org/v1beta1}), typed:
 * the fields Sluice writes and reads, named and typed as the operator's API reference
 * (flink-kubernetes-operator-api, spec/ and status/) gives them. The operator's API jar is not
 * used: it is not published where Sluice builds, and it would bring the operator's dependencies.
 */
@Group(FlinkDeployment.GROUP)
@Version(FlinkDeployment.VERSION)
@Kind("FlinkDeployment")
@Plural("flinkdeployments")
public class FlinkDeployment extends CustomResource<FlinkDeployment.Spec, FlinkDeployment.Status>
    implements Namespaced {
  public static final String GROUP = "flink.apache.org";
  public static final String VERSION = "v1beta1";
  public static final String CRD = "flinkdeployments." + GROUP;

  /** The container the operator merges pod templates into. */
  public static final String MAIN_CONTAINER = "flink-main-container";

  /** Labels Flink puts on its pods: component jobmanager or taskmanager. */
  public static final String COMPONENT_LABEL = "component";

  public static final String JOB_MANAGER = "jobmanager";
  public static final String TASK_MANAGER = "taskmanager";

  /** FlinkDeploymentSpec (with AbstractFlinkSpec's job and flinkConfiguration). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Spec {
    public JobSpec job;
    public Map<String, String> flinkConfiguration;
    public String image;
    public String serviceAccount;
    public String flinkVersion;
    public PodTemplateSpec podTemplate;
    public JobManagerSpec jobManager;
    public TaskManagerSpec taskManager;
    public String mode;
  }

  /** JobSpec of an application deployment. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class JobSpec {
    public String jarURI;
    public Integer parallelism;
    public String entryClass;
    public List<String> args;
    public String state;
    public String upgradeMode;
  }

  /** Resource (cpu as a number, memory as Flink's size). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Resource {
    public Double cpu;
    public String memory;

    public Resource() {}

    public Resource(Double cpu, String memory) {
      this.cpu = cpu;
      this.memory = memory;
    }
  }

  /** JobManagerSpec. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class JobManagerSpec {
    public Resource resource;
    public Integer replicas;
    public PodTemplateSpec podTemplate;
  }

  /** TaskManagerSpec; replicas are left to the operator (parallelism / slots). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class TaskManagerSpec {
    public Resource resource;
    public Integer replicas;
    public PodTemplateSpec podTemplate;
  }

  /** FlinkDeploymentStatus (with CommonStatus), as the operator writes it. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Status {
    public JobStatus jobStatus;
    public String error;
    public Long observedGeneration;
    public String lifecycleState;
    public String jobManagerDeploymentStatus;
    public ReconciliationStatus reconciliationStatus;
    public TaskManagerInfo taskManager;
    public Map<String, String> clusterInfo;
  }

  /** JobStatus. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class JobStatus {
    public String jobName;
    public String jobId;
    public String state;
    public String startTime;
    public String updateTime;
    public String upgradeSavepointPath;
    public SavepointInfo savepointInfo;
  }

  /** SavepointInfo. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class SavepointInfo {
    public Savepoint lastSavepoint;
    public List<Savepoint> savepointHistory;
  }

  /** Savepoint. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Savepoint {
    public Long timeStamp;
    public String location;
    public String triggerType;
    public String formatType;
  }

  /** ReconciliationStatus. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class ReconciliationStatus {
    public Long reconciliationTimestamp;
    public String lastReconciledSpec;
    public String lastStableSpec;
    public String state;
  }

  /** TaskManagerInfo. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class TaskManagerInfo {
    public String labelSelector;
    public Integer replicas;
  }
}
