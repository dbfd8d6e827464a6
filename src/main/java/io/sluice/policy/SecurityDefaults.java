package io.sluice.policy;

import io.sluice.job.JobSpec;

/**
 * Fills in the user, group and volume group a job leaves unset from its namespace's policy. Under
 * the restricted Pod Security Standard every pod says {@code runAsNonRoot}, and a kubelet refuses
 * to start an image whose own USER is root unless the pod names a user; a fresh volume is owned by
 * root, so a non-root process can write to it only through an {@code fsGroup}. With these defaults
 * the common data images (which mostly run as root) start and can write their volumes. Applied when
 * a spec is written, so the stored revision shows what the pods get.
 */
public final class SecurityDefaults {
  private SecurityDefaults() {}

  public static JobSpec apply(NamespacePolicy policy, JobSpec spec) {
    JobSpec.PodSecurity given = spec.securityContext();
    Long user = given == null ? null : given.runAsUser();
    Long group = given == null ? null : given.runAsGroup();
    Long fsGroup = given == null ? null : given.fsGroup();
    Long filledUser = user != null ? user : positive(policy.defaultRunAsUser());
    Long filledGroup = group != null ? group : positive(policy.defaultRunAsGroup());
    // A job that names its group owns its volumes through it: postgres as 999:999 writes as 999.
    Long filledFsGroup =
        fsGroup != null ? fsGroup : group != null ? group : positive(policy.defaultFsGroup());
    JobSpec.PodSecurity filled =
        new JobSpec.PodSecurity(
            filledUser,
            filledGroup,
            filledFsGroup,
            given == null ? null : given.fsGroupChangePolicy(),
            given == null ? null : given.supplementalGroups());
    boolean empty =
        filledUser == null
            && filledGroup == null
            && filledFsGroup == null
            && filled.fsGroupChangePolicy() == null
            && filled.supplementalGroupsOrEmpty().isEmpty();
    if (empty) {
      return given == null ? spec : spec.withSecurityContext(null);
    }
    return filled.equals(given) ? spec : spec.withSecurityContext(filled);
  }

  private static Long positive(long id) {
    return id > 0 ? id : null;
  }
}
