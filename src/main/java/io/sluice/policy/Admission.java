package io.sluice.policy;

import io.sluice.api.FieldError;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import io.sluice.render.Desired;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Admits a spec into a namespace, after it has passed structural validation: the namespace's
 * policy, then the restricted Pod Security Standard on the pods it would render to. Nothing is
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
    for (String violation : PodSecurity.violations(render(namespace, name, type, workload, spec))) {
      errors.add(new FieldError("spec", violation, "podSecurityRestricted"));
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

  private static List<io.fabric8.kubernetes.api.model.HasMetadata> render(
      String namespace, String name, JobType type, Workload workload, JobSpec spec) {
    return Renderer.render(
            RenderInput.preview(PREVIEW, namespace, name, type, workload, 1, spec, 1))
        .stream()
        .map(Desired::resource)
        .toList();
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
