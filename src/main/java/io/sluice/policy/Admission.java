package io.sluice.policy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.sluice.api.FieldError;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import io.sluice.render.ApiServerRules;
import io.sluice.render.RenderInput;
import io.sluice.render.Workloads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Admits a spec into a namespace, after it has passed structural validation: the namespace's
 * policy, then the restricted Pod Security Standard on the pod template it would render to (only
 * the template: rendering the objects around it cost a seventh of a create's CPU). Nothing is
 * stored when either refuses.
 */
@ApplicationScoped
public class Admission {
  private static final UUID PREVIEW = new UUID(0, 0);

  private final Policies policies;

  public Admission(Policies policies) {
    this.policies = policies;
  }

  /**
   * The spec as it will be stored — the namespace's default resources filled in — or a 422 naming
   * every rule it breaks.
   */
  public JobSpec admit(
      String namespace, String name, JobType type, Workload workload, JobSpec given) {
    NamespacePolicy policy = policies.of(namespace);
    JobSpec spec = SecurityDefaults.apply(policy, ResourceDefaults.apply(policy, given));
    List<FieldError> errors = new ArrayList<>(identity(namespace, policy, spec));
    errors.addAll(PolicyCheck.violations(policy, workload, spec));
    if (workload != null && workload.isEngine()) {
      errors.addAll(enginePods(namespace, name, type, workload, spec));
      if (!errors.isEmpty()) {
        throw violation(errors);
      }
      return spec;
    }
    var template =
        Workloads.podTemplate(
            RenderInput.preview(PREVIEW, namespace, name, type, workload, 1, spec, 1));
    PodSpec pod = template.getSpec();
    for (String violation : PodSecurity.violations(pod)) {
      errors.add(new FieldError("spec", "pod template: " + violation, "podSecurityRestricted"));
    }
    // A last line behind the request checks: what the API server would refuse is never stored.
    for (String violation :
        ApiServerRules.podTemplate(
            "template",
            template,
            ApiServerRules.RESTART_POLICIES,
            claimTemplates(workload, spec))) {
      errors.add(
          new FieldError(
              "spec",
              "the Kubernetes API server would refuse the pod template: " + violation,
              "apiServerValidation"));
    }
    if (!errors.isEmpty()) {
      throw violation(errors);
    }
    return spec;
  }

  /**
   * The pods the engine's operator would start from the custom resource this spec renders to,
   * against the restricted Pod Security Standard and the API server's rules.
   */
  private static List<FieldError> enginePods(
      String namespace, String name, JobType type, Workload workload, JobSpec spec) {
    List<io.fabric8.kubernetes.api.model.HasMetadata> objects =
        io.sluice.render.Renderer.render(
                RenderInput.preview(PREVIEW, namespace, name, type, workload, 1, spec, 1))
            .stream()
            .map(io.sluice.render.Desired::resource)
            .filter(o -> !io.sluice.render.EnginePods.of(o).isEmpty())
            .toList();
    List<FieldError> errors = new ArrayList<>();
    for (String violation : PodSecurity.violations(objects)) {
      errors.add(new FieldError("spec", "pod template: " + violation, "podSecurityRestricted"));
    }
    for (String violation : ApiServerRules.violations(objects)) {
      errors.add(
          new FieldError(
              "spec",
              "the Kubernetes API server would refuse " + violation,
              "apiServerValidation"));
    }
    return errors;
  }

  /** The volumes a StatefulSet's controller adds to its pods: one per claim template. */
  private static java.util.Set<String> claimTemplates(Workload workload, JobSpec spec) {
    if (workload != Workload.STATEFUL) {
      return java.util.Set.of();
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    spec.volumesOrEmpty().forEach(v -> names.add(v.name()));
    return names;
  }

  /**
   * What the reconciler checks again before every apply: the namespace, ServiceAccount, token and
   * Secrets a stored spec would give its pods, under today's policy.
   */
  public List<FieldError> identity(String namespace, JobSpec spec) {
    return identity(namespace, policies.of(namespace), spec);
  }

  private List<FieldError> identity(String namespace, NamespacePolicy policy, JobSpec spec) {
    return IdentityRules.violations(
        namespace,
        policy,
        spec.serviceAccountName() != null
            && policies.isSluiceAccount(namespace, spec.serviceAccountName()),
        spec);
  }

  /**
   * A write that adds {@code addedJobs} jobs and {@code addedBytes} bytes of spec to a namespace
   * now using {@code jobs} and {@code bytes}, against its quota. Checked inside the write's
   * transaction; concurrent writes may overshoot by at most one spec each.
   */
  public void admitQuota(String namespace, long jobs, long bytes, int addedJobs, long addedBytes) {
    NamespacePolicy policy = policies.of(namespace);
    List<FieldError> errors = new ArrayList<>();
    if (addedJobs > 0 && jobs + addedJobs > policy.maxJobs()) {
      errors.add(
          new FieldError(
              "namespace",
              "namespace '"
                  + namespace
                  + "' already has "
                  + jobs
                  + " jobs, its quota; delete one first",
              "maxJobs"));
    }
    long maxBytes = io.sluice.job.KubernetesSyntax.amount(policy.maxSpecBytes()).longValue();
    if (addedBytes > 0 && bytes + addedBytes > maxBytes) {
      errors.add(
          new FieldError(
              "spec",
              "would bring the job specs stored in namespace '"
                  + namespace
                  + "' to "
                  + (bytes + addedBytes)
                  + " bytes; its quota is "
                  + policy.maxSpecBytes(),
              "maxSpecBytes"));
    }
    if (!errors.isEmpty()) {
      throw violation(errors);
    }
  }

  /**
   * A scale request's count against the namespace's maximum, and the job's pods at that count
   * against its totals.
   */
  public void admitScale(String namespace, Workload workload, int count, JobSpec spec) {
    NamespacePolicy policy = policies.of(namespace);
    List<FieldError> errors = new ArrayList<>();
    PolicyCheck.scale(policy, workload, count).ifPresent(errors::add);
    errors.addAll(PolicyCheck.totals(policy, workload, spec, count, "replicas"));
    if (!errors.isEmpty()) {
      throw violation(errors);
    }
  }

  private static SluiceException violation(List<FieldError> errors) {
    FieldError first = errors.get(0);
    return new SluiceException(
        Reason.POLICY_VIOLATION,
        errors.size() == 1
            ? first.field() + ": " + first.message() + " (rule " + first.rule() + ")"
            : errors.size() + " policy rules are violated",
        errors);
  }
}
