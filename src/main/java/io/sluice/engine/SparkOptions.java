package io.sluice.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a {@code spark} job runs: the part of a SparkApplication (Kubeflow Spark operator, {@code
 * sparkoperator.k8s.io/v1beta2}) a data team chooses. Sluice adds the rest: image, labels, config,
 * volumes, env, Secrets, ServiceAccount and the restricted pod security of the job's spec.
 */
@Schema(
    name = "SparkOptions",
    description =
        "A Spark application, run through the Kubeflow Spark operator (one SparkApplication per"
            + " run); spark workloads only")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SparkOptions(
    @Schema(description = "Language of the application") @NotNull Type type,
    @Schema(
            description = "The application's jar or Python file, as Spark reads it",
            example = "local:///opt/spark/examples/jars/spark-examples.jar")
        @NotBlank
        @Size(max = 2048)
        String mainApplicationFile,
    @Schema(
            description = "Entry class; required for Java and Scala",
            example = "org.apache.spark.examples.SparkPi")
        @Size(max = 512)
        String mainClass,
    @Schema(description = "Arguments of the application; a run's args replace them")
        @Size(max = 256)
        List<@NotNull @Size(max = 4096) String> arguments,
    @Schema(description = "Spark version of the image", example = "3.5.3") @NotBlank @Size(max = 32)
        String sparkVersion,
    @Schema(description = "The driver pod") @Valid Driver driver,
    @Schema(description = "The executor pods") @Valid Executor executor,
    @Schema(description = "Spark configuration (spark.* properties)") @Size(max = 256)
        Map<String, @NotNull @Size(max = 8192) String> sparkConf,
    @Schema(description = "Hadoop configuration, without the spark.hadoop. prefix") @Size(max = 256)
        Map<String, @NotNull @Size(max = 8192) String> hadoopConf,
    @Schema(description = "Executors added and removed with the load") @Valid
        DynamicAllocation dynamicAllocation,
    @Schema(description = "What the operator does when the application fails") @Valid
        RestartPolicy restartPolicy) {

  /** Spark's default executor count (spark.executor.instances). */
  public static final int DEFAULT_EXECUTORS = 2;

  /** Spark's default pod sizes: one core, 1g of heap. */
  public static final int DEFAULT_CORES = 1;

  public static final String DEFAULT_MEMORY = "1g";

  public Map<String, String> sparkConfOrEmpty() {
    return sparkConf == null ? Map.of() : sparkConf;
  }

  public Map<String, String> hadoopConfOrEmpty() {
    return hadoopConf == null ? Map.of() : hadoopConf;
  }

  public List<String> argumentsOrEmpty() {
    return arguments == null ? List.of() : arguments;
  }

  /** Executors the application may have at once: the dynamic maximum, else the instances. */
  public int executorsAtMost(Integer scaled) {
    if (dynamicAllocation != null && dynamicAllocation.maxExecutors() != null) {
      return scaled != null ? scaled : dynamicAllocation.maxExecutors();
    }
    if (scaled != null) {
      return scaled;
    }
    return executor == null || executor.instances() == null
        ? DEFAULT_EXECUTORS
        : executor.instances();
  }

  /** SparkApplication types Sluice runs. */
  public enum Type {
    Java,
    Scala,
    Python
  }

  /** The driver: cores and JVM memory. */
  @Schema(name = "SparkDriver")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Driver(
      @Schema(description = "CPU cores (default 1)", example = "1") @Min(1) @Max(64) Integer cores,
      @Schema(description = "JVM heap, in Spark's units (default 1g)", example = "2g")
          @Size(max = 16)
          String memory,
      @Schema(
              description = "Memory beyond the heap (default: 10%, at least 384m)",
              example = "512m")
          @Size(max = 16)
          String memoryOverhead) {}

  /** The executors: how many, cores and JVM memory. */
  @Schema(name = "SparkExecutor")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Executor(
      @Schema(description = "Executor pods (default 2); the scale endpoint sets it", example = "4")
          @Min(1)
          @Max(10000)
          Integer instances,
      @Schema(description = "CPU cores of each (default 1)", example = "2") @Min(1) @Max(64)
          Integer cores,
      @Schema(description = "JVM heap of each, in Spark's units (default 1g)", example = "4g")
          @Size(max = 16)
          String memory,
      @Schema(description = "Memory beyond the heap (default: 10%, at least 384m)", example = "1g")
          @Size(max = 16)
          String memoryOverhead) {}

  /** Dynamic allocation, with shuffle tracking (no external shuffle service on Kubernetes). */
  @Schema(name = "SparkDynamicAllocation")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record DynamicAllocation(
      @Schema(example = "1") @Min(0) @Max(10000) Integer minExecutors,
      @Schema(description = "The scale endpoint sets it", example = "20")
          @NotNull
          @Min(1)
          @Max(10000)
          Integer maxExecutors,
      @Schema(example = "2") @Min(0) @Max(10000) Integer initialExecutors) {}

  /** The operator's restart policy of the application. */
  @Schema(name = "SparkRestartPolicy")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record RestartPolicy(
      @Schema(description = "Default Never: a failed run is failed") RestartType type,
      @Schema(description = "Retries after a failure (OnFailure)", example = "2") @Min(0) @Max(100)
          Integer onFailureRetries,
      @Schema(description = "Seconds between them", example = "30") @Min(1) @Max(86400)
          Long onFailureRetryInterval,
      @Schema(description = "Retries after a failed submission", example = "2") @Min(0) @Max(100)
          Integer onSubmissionFailureRetries,
      @Schema(description = "Seconds between them", example = "30") @Min(1) @Max(86400)
          Long onSubmissionFailureRetryInterval) {}

  /** SparkApplication restart policy types ("Always" would rerun a batch forever: not offered). */
  public enum RestartType {
    Never,
    OnFailure
  }
}
