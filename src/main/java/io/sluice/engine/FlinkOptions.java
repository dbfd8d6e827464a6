package io.sluice.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a {@code flink} job runs: the part of a FlinkDeployment (Apache Flink Kubernetes operator,
 * {@code flink.apache.org/v1beta1}, application mode) a data team chooses. Sluice adds image,
 * labels, config, volumes, env, Secrets, ServiceAccount and the restricted pod security.
 */
@Schema(
    name = "FlinkOptions",
    description =
        "A Flink application, run through the Flink Kubernetes operator (one FlinkDeployment in"
            + " application mode); flink workloads only")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FlinkOptions(
    @Schema(
            description = "The job's jar, as Flink reads it",
            example = "local:///opt/flink/usrlib/clickstream.jar")
        @NotBlank
        @Size(max = 2048)
        String jarURI,
    @Schema(description = "Entry class (default: the jar's manifest)", example = "io.acme.Sessions")
        @Size(max = 512)
        String entryClass,
    @Schema(description = "Arguments of the job") @Size(max = 256)
        List<@NotNull @Size(max = 4096) String> args,
    @Schema(description = "Flink version of the image", example = "v1_20") @NotNull
        FlinkVersion flinkVersion,
    @Schema(
            description =
                "Parallelism of the job (default 1); the scale endpoint sets it, and the operator"
                    + " applies it with an upgrade",
            example = "4")
        @Min(1)
        @Max(10000)
        Integer parallelism,
    @Schema(description = "The JobManager") @Valid JobManager jobManager,
    @Schema(description = "The TaskManagers") @Valid TaskManager taskManager,
    @Schema(description = "Flink configuration (flink-conf entries)") @Size(max = 256)
        Map<String, @NotNull @Size(max = 8192) String> flinkConfiguration,
    @Schema(
            description =
                "How state crosses an upgrade, a scale or a rollback (default stateless: the job"
                    + " starts empty); savepoint needs savepointDirectory, last-state"
                    + " checkpointDirectory",
            enumeration = {"savepoint", "last-state", "stateless"})
        UpgradeMode upgradeMode,
    @Schema(description = "Where checkpoints go", example = "s3://flink/clickstream/checkpoints")
        @Size(max = 2048)
        String checkpointDirectory,
    @Schema(description = "Where savepoints go", example = "s3://flink/clickstream/savepoints")
        @Size(max = 2048)
        String savepointDirectory) {

  public static final int DEFAULT_PARALLELISM = 1;
  public static final int DEFAULT_SLOTS = 1;
  public static final double DEFAULT_CPU = 1.0;
  public static final String DEFAULT_MEMORY = "2048m";

  public List<String> argsOrEmpty() {
    return args == null ? List.of() : args;
  }

  public Map<String, String> flinkConfigurationOrEmpty() {
    return flinkConfiguration == null ? Map.of() : flinkConfiguration;
  }

  public int parallelismOrDefault() {
    return parallelism == null ? DEFAULT_PARALLELISM : parallelism;
  }

  public int slotsOrDefault() {
    return taskManager == null || taskManager.taskSlots() == null
        ? DEFAULT_SLOTS
        : taskManager.taskSlots();
  }

  public UpgradeMode upgradeModeOrDefault() {
    return upgradeMode == null ? UpgradeMode.STATELESS : upgradeMode;
  }

  /** TaskManagers the operator starts for a parallelism: one per {@code taskSlots} of it. */
  public int taskManagers(int parallelism) {
    int slots = slotsOrDefault();
    return (parallelism + slots - 1) / slots;
  }

  /** Flink versions the operator knows (its FlinkVersion enum). */
  public enum FlinkVersion {
    v1_17,
    v1_18,
    v1_19,
    v1_20,
    v2_0,
    v2_1;

    /** Flink 2 renamed the checkpoint and savepoint directory options. */
    public boolean isTwo() {
      return name().startsWith("v2");
    }
  }

  /** The operator's upgrade modes. */
  public enum UpgradeMode {
    SAVEPOINT("savepoint"),
    LAST_STATE("last-state"),
    STATELESS("stateless");

    private final String value;

    UpgradeMode(String value) {
      this.value = value;
    }

    @JsonValue
    public String value() {
      return value;
    }
  }

  /** JobManager size. */
  @Schema(name = "FlinkJobManager")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record JobManager(
      @Schema(description = "CPU (default 1)", example = "1") @DecimalMin("0.1") @DecimalMax("64")
          Double cpu,
      @Schema(description = "Process memory, in Flink's units (default 2048m)", example = "2g")
          @Size(max = 16)
          String memory) {}

  /** TaskManager size and slots. */
  @Schema(name = "FlinkTaskManager")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record TaskManager(
      @Schema(description = "CPU of each (default 1)", example = "2")
          @DecimalMin("0.1")
          @DecimalMax("64")
          Double cpu,
      @Schema(
              description = "Process memory of each, in Flink's units (default 2048m)",
              example = "4g")
          @Size(max = 16)
          String memory,
      @Schema(description = "Task slots of each (default 1)", example = "2") @Min(1) @Max(64)
          Integer taskSlots) {}
}
