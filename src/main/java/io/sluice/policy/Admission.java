package io.sluice.policy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.sluice.api.FieldError;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
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

  public void admit(String namespace, String name, JobType type, Workload workload, JobSpec spec) {
    List<FieldError> errors =
        new ArrayList<>(PolicyCheck.violations(policies.of(namespace), workload, spec));
    PodSpec pod =
        Workloads.podTemplate(
                RenderInput.preview(PREVIEW, namespace, name, type, workload, 1, spec, 1))
            .getSpec();
    for (String violation : PodSecurity.violations(pod)) {
      errors.add(new FieldError("spec", "pod template: " + violation, "podSecurityRestricted"));
    }
    if (!errors.isEmpty()) {
      throw violation(errors);
    }
  }

  /** A scale request's count against the namespace's maximum. */
  public void admitScale(String namespace, Workload workload, int count) {
    PolicyCheck.scale(policies.of(namespace), workload, count)
        .ifPresent(
            error -> {
              throw violation(List.of(error));
            });
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
