package io.sluice.policy;

import io.sluice.api.FieldError;
import io.sluice.job.JobSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job's pods could reach beyond their own work: the namespace they run in, the
 * ServiceAccount they run as, its API token, and the Secrets they read. Checked when a job is
 * written and again before every apply, so a job stored before a policy tightened is not applied
 * either. Pure: a spec, a namespace's policy and whether the account is Sluice's own.
 */
public final class IdentityRules {
  private IdentityRules() {}

  public static List<FieldError> violations(
      String namespace, NamespacePolicy policy, boolean sluiceAccount, JobSpec spec) {
    List<FieldError> out = new ArrayList<>();
    if (!policy.jobsAllowed()) {
      out.add(
          new FieldError(
              "namespace",
              "'"
                  + namespace
                  + "' is reserved (Sluice's own namespace or a kube-* one): its Secrets and"
                  + " ServiceAccounts are the cluster's or Sluice's. Use another namespace, or"
                  + " have an admin set allow-reserved-namespace for it",
              "reservedNamespace"));
    }
    String account = spec.serviceAccountName();
    if (account != null) {
      if (sluiceAccount) {
        out.add(
            new FieldError(
                "spec.serviceAccountName",
                "'" + account + "' is Sluice's own ServiceAccount; no job may run as it",
                "sluiceServiceAccount"));
      } else if (!NamePatterns.allowed(account, policy.allowedServiceAccounts())) {
        out.add(
            new FieldError(
                "spec.serviceAccountName",
                "'"
                    + account
                    + "' is not allowed here; allowed: "
                    + policy.allowedServiceAccounts(),
                "allowedServiceAccounts"));
      }
    }
    if (Boolean.TRUE.equals(spec.automountServiceAccountToken())
        && !policy.allowServiceAccountToken()) {
      out.add(
          new FieldError(
              "spec.automountServiceAccountToken",
              "this namespace does not give pods a Kubernetes API token"
                  + " (rule allowServiceAccountToken); remove the field",
              "allowServiceAccountToken"));
    }
    List<String> secrets = spec.secretRefsOrEmpty();
    for (int i = 0; i < secrets.size(); i++) {
      String secret = secrets.get(i);
      if (secret != null && !NamePatterns.allowed(secret, policy.allowedSecrets())) {
        out.add(
            new FieldError(
                "spec.secretRefs[" + i + "]",
                "Secret '" + secret + "' is not allowed here; allowed: " + policy.allowedSecrets(),
                "allowedSecrets"));
      }
    }
    return out;
  }
}
