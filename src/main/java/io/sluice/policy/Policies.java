package io.sluice.policy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The policy of each namespace, resolved once from configuration. */
@ApplicationScoped
public class Policies {
  private final PolicyConfig config;
  private final NamespacePolicy defaults;
  private final Map<String, NamespacePolicy> resolved = new ConcurrentHashMap<>();

  public Policies(PolicyConfig config) {
    this.config = config;
    this.defaults = NamespacePolicy.resolve(config.defaults(), null);
  }

  public NamespacePolicy of(String namespace) {
    PolicyConfig.Overrides overrides = config.namespaces().get(namespace);
    if (overrides == null) {
      return defaults;
    }
    return resolved.computeIfAbsent(
        namespace, ns -> NamespacePolicy.resolve(config.defaults(), overrides));
  }
}
