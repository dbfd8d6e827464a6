package io.sluice.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * The Kubeflow Spark operator's SparkApplication ({@code sparkoperator.k8s.io/v1beta2}), typed: the
 * fields Sluice writes and reads, named and typed as the operator's API reference
 * (api/v1beta2/sparkapplication_types.go) gives them. No field outside that reference is ever
 * rendered ({@code EngineModelTest} checks it against a transcription of the reference). Status is
 * read only.
 */
@Group(SparkApplication.GROUP)
@Version(SparkApplication.VERSION)
@Kind("SparkApplication")
@Plural("sparkapplications")
public class SparkApplication extends CustomResource<SparkApplication.Spec, SparkApplication.Status>
    implements Namespaced {
  public static final String GROUP = "sparkoperator.k8s.io";
  public static final String VERSION = "v1beta2";
  public static final String CRD = "sparkapplications." + GROUP;

  /** Labels the operator and Spark put on the pods: role (driver, executor) and application. */
  public static final String ROLE_LABEL = "spark-role";

  public static final String APP_NAME_LABEL = "sparkoperator.k8s.io/app-name";
  public static final String DRIVER_ROLE = "driver";
  public static final String EXECUTOR_ROLE = "executor";

  /** The container Spark names in the driver pod; its log is the run's log. */
  public static final String DRIVER_CONTAINER = "spark-kubernetes-driver";

  public static final String EXECUTOR_CONTAINER = "spark-kubernetes-executor";

  /** SparkApplicationSpec. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Spec {
    public String type;
    public String sparkVersion;
    public String mode;
    public String image;
    public String mainClass;
    public String mainApplicationFile;
    public List<String> arguments;
    public Map<String, String> sparkConf;
    public Map<String, String> hadoopConf;
    public List<Volume> volumes;
    public DriverSpec driver;
    public ExecutorSpec executor;
    public RestartPolicy restartPolicy;
    public Long timeToLiveSeconds;
    public DynamicAllocation dynamicAllocation;
  }

  /** SparkPodSpec: what driver and executor pods share. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class PodSpec {
    public PodTemplateSpec template;
    public Integer cores;
    public String coreLimit;
    public String memory;
    public String memoryOverhead;
    public List<EnvVar> env;
    public List<EnvFromSource> envFrom;
    public Map<String, String> labels;
    public Map<String, String> annotations;
    public List<VolumeMount> volumeMounts;
    public List<Toleration> tolerations;
    public PodSecurityContext podSecurityContext;
    public SecurityContext securityContext;
    public Map<String, String> nodeSelector;
    public String serviceAccount;
  }

  /** DriverSpec. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class DriverSpec extends PodSpec {}

  /** ExecutorSpec. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class ExecutorSpec extends PodSpec {
    public Integer instances;
  }

  /** RestartPolicy. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class RestartPolicy {
    public String type;
    public Integer onSubmissionFailureRetries;
    public Integer onFailureRetries;
    public Long onSubmissionFailureRetryInterval;
    public Long onFailureRetryInterval;
  }

  /** DynamicAllocation. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class DynamicAllocation {
    public Boolean enabled;
    public Integer initialExecutors;
    public Integer minExecutors;
    public Integer maxExecutors;
    public Boolean shuffleTrackingEnabled;
  }

  /** SparkApplicationStatus, as the operator writes it. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Status {
    public String sparkApplicationId;
    public String submissionID;
    public String lastSubmissionAttemptTime;
    public String terminationTime;
    public DriverInfo driverInfo;
    public ApplicationState applicationState;
    public Map<String, String> executorState;
    public Integer executionAttempts;
    public Integer submissionAttempts;
  }

  /** DriverInfo. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class DriverInfo {
    public String webUIServiceName;
    public Integer webUIPort;
    public String podName;
  }

  /** ApplicationState: state and the operator's error message. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class ApplicationState {
    public String state;
    public String errorMessage;

    public ApplicationState() {}

    public ApplicationState(String state, String errorMessage) {
      this.state = state;
      this.errorMessage = errorMessage;
    }
  }
}
