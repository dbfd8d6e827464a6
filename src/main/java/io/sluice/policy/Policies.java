package io.sluice.policy;

import io.sluice.config.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy of each namespace, resolved once from configuration. Knows which namespaces are
 * reserved: Sluice's own (its credentials and service account live there) and {@code kube-*}.
 */
@ApplicationScoped
public class Policies {
  private static final String SYSTEM_PREFIX = "kube-";

  private final PolicyConfig config;
  private final String ownNamespace;
  private final String ownServiceAccount;
  private final NamespacePolicy defaults;
  private final Map<String, NamespacePolicy> resolved = new ConcurrentHashMap<>();

  public Policies(PolicyConfig config, SluiceConfig sluice) {
    this.config = config;
    this.ownNamespace = sluice.kubernetes().namespace();
    this.ownServiceAccount = sluice.kubernetes().serviceAccount();
    this.defaults = NamespacePolicy.resolve(config.defaults(), null, false);
  }

  public NamespacePolicy of(String namespace) {
    PolicyConfig.Overrides overrides = config.namespaces().get(namespace);
    boolean reserved = reserved(namespace);
    if (overrides == null && !reserved) {
      return defaults;
    }
    return resolved.computeIfAbsent(
        namespace, ns -> NamespacePolicy.resolve(config.defaults(), overrides, reserved));
  }

  /** Sluice's own namespace, or a system one. */
  public boolean reserved(String namespace) {
    return namespace.equals(ownNamespace) || namespace.startsWith(SYSTEM_PREFIX);
  }

  /** True for Sluice's own ServiceAccount: no job may run as it. */
  public boolean isSluiceAccount(String namespace, String serviceAccount) {
    return namespace.equals(ownNamespace) && ownServiceAccount.equals(serviceAccount);
  }
}
