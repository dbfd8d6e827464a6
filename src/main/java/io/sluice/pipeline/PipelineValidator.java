package io.sluice.pipeline;

import io.sluice.api.SluiceException;
import io.sluice.job.CronSchedule;
import io.sluice.job.JobSpec;
import io.sluice.job.JobSpecValidator;
import io.sluice.job.JobSpecValidator.Errors;
import io.sluice.job.KubernetesSyntax;
import io.sluice.job.Workload;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a pipeline before it is stored: the request's constraints, the DAG (unknown, duplicate and
 * self dependencies, cycles named as a path), parameters and their references, the schedule, and
 * that every step names a job of the namespace of the right kind. Reports every problem at once,
 * each at its field.
 */
@ApplicationScoped
public class PipelineValidator {
  private final PipelineRepository pipelines;

  public PipelineValidator(PipelineRepository pipelines) {
    this.pipelines = pipelines;
  }

  public void validateCreate(String namespace, CreatePipelineRequest request) {
    if (request == null) {
      throw SluiceException.invalid("body", "a pipeline definition is required");
    }
    Errors errors = new Errors();
    errors.addAll(io.sluice.api.Constraints.check(request));
    if (request.name() != null && !KubernetesSyntax.isDnsLabel(request.name(), 63)) {
      errors.add(
          "name",
          "must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-',"
              + " starting and ending with a letter or digit");
    }
    if (request.namespace() != null && !request.namespace().equals(namespace)) {
      errors.add("namespace", "must equal the namespace in the path ('" + namespace + "')");
    }
    errors.throwIfAny();
    checkSpec(namespace, request.spec(), errors);
    errors.throwIfAny();
  }

  public void validateUpdate(String namespace, UpdatePipelineRequest request) {
    if (request == null) {
      throw SluiceException.invalid("body", "a pipeline spec is required");
    }
    Errors errors = new Errors();
    errors.addAll(io.sluice.api.Constraints.check(request));
    errors.throwIfAny();
    checkSpec(namespace, request.spec(), errors);
    errors.throwIfAny();
  }

  /** A stored spec checked again (a rollback target): the jobs it names may have changed since. */
  public void validateSpec(String namespace, PipelineSpec spec) {
    Errors errors = new Errors();
    checkSpec(namespace, spec, errors);
    errors.throwIfAny();
  }

  private void checkSpec(String namespace, PipelineSpec spec, Errors errors) {
    JobSpecValidator.checkLabels("spec.labels", spec.labelsOrEmpty(), errors);
    Set<String> params = checkParameters(spec, errors);
    checkSteps(spec, params, errors);
    if (errors.isEmpty()) {
      checkGraph(spec, errors);
    }
    checkSchedule(spec, errors);
    if (errors.isEmpty()) {
      checkJobs(namespace, spec, errors);
    }
  }

  private static Set<String> checkParameters(PipelineSpec spec, Errors errors) {
    Set<String> names = new HashSet<>();
    List<PipelineSpec.Parameter> list = spec.parametersOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      String name = list.get(i).name();
      String field = "spec.parameters[" + i + "].name";
      if (!Substitution.NAME.matcher(name).matches()) {
        errors.add(field, "must be letters, digits and '_', starting with a letter");
      } else if (!names.add(name)) {
        errors.add(field, "'" + name + "' is declared twice");
      }
    }
    return names;
  }

  private static void checkSteps(PipelineSpec spec, Set<String> params, Errors errors) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.steps().size(); i++) {
      PipelineSpec.Step step = spec.steps().get(i);
      String path = "spec.steps[" + i + "]";
      if (!KubernetesSyntax.isDnsLabel(step.name(), 63)) {
        errors.add(
            path + ".name",
            "must be a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters");
      } else if (!names.add(step.name())) {
        errors.add(path + ".name", "'" + step.name() + "' is the name of an earlier step");
      }
      if ((step.job() == null) == (step.awaitReady() == null)) {
        errors.add(path, "must have exactly one of job and awaitReady");
      }
      if (step.awaitReady() != null) {
        for (String field : List.of("args", "env", "retries")) {
          boolean set =
              switch (field) {
                case "args" -> step.args() != null;
                case "env" -> step.env() != null;
                default -> step.retries() != null;
              };
          if (set) {
            errors.add(path + "." + field, "only a job step has " + field);
          }
        }
      }
      checkTemplates(path, step, params, errors);
      if (step.whenOrDefault() != PipelineSpec.When.succeeded
          && step.dependsOnOrEmpty().isEmpty()) {
        errors.add(
            path + ".when",
            "'" + step.whenOrDefault().value() + "' needs dependsOn: it is about dependencies");
      }
    }
  }

  private static void checkTemplates(
      String path, PipelineSpec.Step step, Set<String> params, Errors errors) {
    if (step.args() != null) {
      for (int a = 0; a < step.args().size(); a++) {
        checkReferences(path + ".args[" + a + "]", step.args().get(a), params, errors);
      }
    }
    if (step.env() != null) {
      for (int e = 0; e < step.env().size(); e++) {
        JobSpec.EnvVar env = step.env().get(e);
        String field = path + ".env[" + e + "]";
        if (env.name() != null && !KubernetesSyntax.isUserEnvName(env.name())) {
          errors.add(field + ".name", KubernetesSyntax.USER_ENV_NAME_RULE);
        }
        checkReferences(field + ".value", env.value(), params, errors);
      }
    }
  }

  private static void checkReferences(
      String field, String template, Set<String> params, Errors errors) {
    for (String ref : Substitution.references(template)) {
      if (!Substitution.wellFormed(ref)) {
        errors.add(field, "'" + ref + "' is not a parameter reference: write ${params.NAME}");
      } else if (!params.contains(ref)) {
        errors.add(
            field,
            "refers to parameter '"
                + ref
                + "', which spec.parameters does not declare"
                + (params.isEmpty() ? "" : " (declared: " + new java.util.TreeSet<>(params) + ")"));
      }
    }
  }

  private static void checkGraph(PipelineSpec spec, Errors errors) {
    Set<String> names = new HashSet<>();
    spec.steps().forEach(s -> names.add(s.name()));
    for (int i = 0; i < spec.steps().size(); i++) {
      PipelineSpec.Step step = spec.steps().get(i);
      Set<String> seen = new HashSet<>();
      for (int d = 0; d < step.dependsOnOrEmpty().size(); d++) {
        String dep = step.dependsOnOrEmpty().get(d);
        String field = "spec.steps[" + i + "].dependsOn[" + d + "]";
        if (dep.equals(step.name())) {
          errors.add(field, "a step cannot depend on itself");
        } else if (!names.contains(dep)) {
          errors.add(field, "no step is named '" + dep + "'");
        } else if (!seen.add(dep)) {
          errors.add(field, "'" + dep + "' is listed twice");
        }
      }
    }
    if (errors.isEmpty()) {
      Dag.of(spec.steps())
          .cycle()
          .ifPresent(
              cycle ->
                  errors.add(
                      "spec.steps",
                      "the dependencies form a cycle: " + String.join(" \u2192 ", cycle)));
    }
  }

  private static void checkSchedule(PipelineSpec spec, Errors errors) {
    if (spec.schedule() == null) {
      if (spec.concurrencyPolicy() != null) {
        errors.add("spec.concurrencyPolicy", "only applies to a pipeline with a schedule");
      }
      return;
    }
    for (PipelineSpec.Parameter p : spec.parametersOrEmpty()) {
      if (p.defaultValue() == null) {
        errors.add(
            "spec.schedule",
            "parameter '" + p.name() + "' has no default, and a scheduled run gives no values");
      }
    }
    String cron = spec.schedule().cron();
    if (cron != null) {
      CronSchedule.problem(cron)
          .or(() -> CronSchedule.neverFires(cron))
          .ifPresent(problem -> errors.add("spec.schedule.cron", problem));
    }
    String zone = spec.schedule().timeZone();
    if (zone != null && !KubernetesSyntax.isTimeZone(zone)) {
      errors.add("spec.schedule.timeZone", "is not an IANA time zone name such as Europe/Berlin");
    }
  }

  private void checkJobs(String namespace, PipelineSpec spec, Errors errors) {
    Set<String> names = new HashSet<>();
    spec.steps().forEach(s -> names.add(s.runsJob() ? s.job() : s.awaitReady()));
    Map<String, Workload> found = pipelines.liveJobWorkloads(namespace, names);
    for (int i = 0; i < spec.steps().size(); i++) {
      PipelineSpec.Step step = spec.steps().get(i);
      String field = "spec.steps[" + i + "]." + (step.runsJob() ? "job" : "awaitReady");
      String job = step.runsJob() ? step.job() : step.awaitReady();
      Workload workload = found.get(job);
      if (workload == null) {
        errors.add(field, "no job named '" + job + "' in namespace '" + namespace + "'");
      } else if (step.runsJob() && !workload.isBatch()) {
        errors.add(
            field,
            "'"
                + job
                + "' is a "
                + workload.value()
                + " job and has no runs: a job step needs a batch, scheduled or spark job (wait for it"
                + " with awaitReady)");
      } else if (!step.runsJob() && workload.isBatch()) {
        errors.add(
            field,
            "'"
                + job
                + "' is a "
                + workload.value()
                + " job and is never READY: awaitReady needs a service, stateful or flink job (run it"
                + " with job)");
      }
    }
  }
}
