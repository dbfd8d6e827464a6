package io.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.sluice.job.JobSpec;
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
 * What a pipeline is: steps (each runs a batch job or waits for a long-running one), how they
 * depend on each other, and the pipeline's parameters and schedule. Stored as the pipeline
 * revision's JSON; a run pins the revision it started from.
 */
@Schema(name = "PipelineSpec")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PipelineSpec(
    @Schema(description = "The DAG's steps, at most " + PipelineSpec.MAX_STEPS, required = true)
        @NotNull
        @Size(min = 1, max = MAX_STEPS)
        List<@Valid @NotNull Step> steps,
    @Schema(
            description =
                "Declared parameters, substituted into steps' args and env as ${params.NAME}")
        @Size(max = 64)
        List<@Valid @NotNull Parameter> parameters,
    @Schema(
            description =
                "Cancel running steps and start no new ones (except when: failed/always steps) once a step fails for good (default false)")
        Boolean failFast,
    @Schema(description = "Start runs on a cron schedule") @Valid Schedule schedule,
    @Schema(
            description =
                "What a scheduled run does while another run of the pipeline is unfinished (default Allow)")
        ConcurrencyPolicy concurrencyPolicy,
    @Schema(description = "Labels to select pipelines by", example = "{\"team\": \"data\"}")
        @Size(max = 64)
        Map<@NotNull @Size(max = 317) String, @NotNull @Size(max = 63) String> labels,
    @Schema(example = "Load the day's clicks into the warehouse") @Size(max = 1024)
        String description) {

  public static final int MAX_STEPS = 200;

  public List<Parameter> parametersOrEmpty() {
    return parameters == null ? List.of() : parameters;
  }

  public Map<String, String> labelsOrEmpty() {
    return labels == null ? Map.of() : labels;
  }

  @JsonIgnore
  public boolean failsFast() {
    return Boolean.TRUE.equals(failFast);
  }

  public ConcurrencyPolicy concurrency() {
    return concurrencyPolicy == null ? ConcurrencyPolicy.Allow : concurrencyPolicy;
  }

  public Step step(String name) {
    for (Step s : steps) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** One node of the DAG. */
  @Schema(name = "PipelineStep")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Step(
      @Schema(description = "DNS label, unique in the pipeline", example = "clean", required = true)
          @NotBlank
          @Size(max = 63)
          String name,
      @Schema(
              description =
                  "A batch, scheduled or spark job of the namespace to run (exactly one of job and awaitReady)",
              example = "clickstream-clean")
          @Size(max = 63)
          String job,
      @Schema(
              description =
                  "A service, stateful or flink job that must be READY before the steps after this one start",
              example = "warehouse")
          @Size(max = 63)
          String awaitReady,
      @Schema(
              description = "Replaces the job's args for this step; ${params.NAME} is substituted",
              example = "[\"--date\", \"${params.date}\"]")
          @Size(max = 256)
          List<@NotNull @Size(max = 4096) String> args,
      @Schema(description = "Added to (or replacing by name) the job's env; values are substituted")
          @Size(max = 64)
          List<JobSpec.@Valid @NotNull EnvVar> env,
      @Schema(description = "Steps that must finish first", example = "[\"ingest\"]")
          @Size(max = MAX_STEPS)
          List<@NotNull @Size(max = 63) String> dependsOn,
      @Schema(description = "When the step runs once its dependencies finished (default succeeded)")
          When when,
      @Schema(description = "Retries of a failed attempt") @Valid Retries retries,
      @Schema(
              description = "An attempt running longer fails (and may be retried)",
              example = "3600")
          @Min(1)
          @Max(604800)
          Integer timeoutSeconds,
      @Schema(
              description =
                  "Its failure does not fail the pipeline run (steps after it that need it to succeed are skipped) (default false)")
          Boolean allowFailure) {

    public List<String> dependsOnOrEmpty() {
      return dependsOn == null ? List.of() : dependsOn;
    }

    public When whenOrDefault() {
      return when == null ? When.succeeded : when;
    }

    @JsonIgnore
    public boolean mayFail() {
      return Boolean.TRUE.equals(allowFailure);
    }

    public int retryLimit() {
      return retries == null || retries.limit() == null ? 0 : retries.limit();
    }

    public int backoffSeconds() {
      return retries == null || retries.backoffSeconds() == null ? 10 : retries.backoffSeconds();
    }

    @JsonIgnore
    public boolean runsJob() {
      return job != null;
    }
  }

  /** Which outcome of its dependencies a step runs on. */
  @Schema(
      name = "StepWhen",
      enumeration = {"succeeded", "failed", "always"})
  public enum When {
    /** Every dependency succeeded. */
    succeeded,
    /** At least one dependency failed: a clean-up or alert step. */
    failed,
    /** Every dependency finished, whatever its outcome. */
    always;

    @JsonValue
    public String value() {
      return name();
    }
  }

  @Schema(name = "StepRetries")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Retries(
      @Schema(description = "Attempts after the first", example = "2") @NotNull @Min(0) @Max(20)
          Integer limit,
      @Schema(description = "Wait between attempts (default 10)", example = "30")
          @Min(0)
          @Max(86400)
          Integer backoffSeconds) {}

  /** A declared parameter; runs give values, defaults fill the rest. */
  @Schema(name = "PipelineParameter")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Parameter(
      @Schema(
              description = "Letters, digits and '_', starting with a letter",
              example = "date",
              required = true)
          @NotBlank
          @Size(max = 63)
          String name,
      @Schema(
              description = "Value when a run gives none; without one, runs must give it",
              example = "2026-12-01")
          @com.fasterxml.jackson.annotation.JsonProperty("default")
          @Size(max = 4096)
          String defaultValue,
      @Schema(example = "The day to load") @Size(max = 1024) String description) {}

  @Schema(name = "PipelineSchedule")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Schedule(
      @Schema(example = "0 3 * * *", required = true) @NotBlank @Size(max = 128) String cron,
      @Schema(description = "IANA time zone (default UTC)", example = "Europe/Berlin")
          @Size(max = 64)
          String timeZone) {}

  /** As a CronJob's: what a scheduled run does while an earlier run is unfinished. */
  @Schema(
      name = "PipelineConcurrencyPolicy",
      enumeration = {"Allow", "Forbid", "Replace"})
  public enum ConcurrencyPolicy {
    Allow,
    Forbid,
    Replace
  }
}
