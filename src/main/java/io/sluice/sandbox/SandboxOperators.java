package io.sluice.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.engine.Engines;
import java.util.Collection;

/**
 * Installs the engine operators' CustomResourceDefinitions in a simulated cluster, as installing
 * the operators' Helm charts would: the API server then serves SparkApplications and
 * FlinkDeployments (with a status subresource) and API discovery lists them. The schemas are open
 * (the operators' own charts carry the full ones); what Sluice renders is held to the operators'
 * API references by its tests instead.
 */
public final class SandboxOperators {
  private SandboxOperators() {}

  /** Installs the CRDs of the named engines ({@code spark}, {@code flink}); others are ignored. */
  public static void install(KubernetesClient client, Collection<String> engines) {
    for (Engines.Engine engine : Engines.Engine.values()) {
      if (engines.contains(engine.value())) {
        install(client, engine);
      }
    }
  }

  public static void install(KubernetesClient client, Engines.Engine engine) {
    if (client.apiextensions().v1().customResourceDefinitions().withName(engine.crd()).get()
        == null) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd(engine)).create();
    }
  }

  /** Removes an engine's CRD: the operator is uninstalled (tests of a cluster without it). */
  public static void uninstall(KubernetesClient client, Engines.Engine engine) {
    client.apiextensions().v1().customResourceDefinitions().withName(engine.crd()).delete();
  }

  static CustomResourceDefinition crd(Engines.Engine engine) {
    String kind = engine.kindName();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(engine.crd())
        .endMetadata()
        .withNewSpec()
        .withGroup(engine.group)
        .withScope("Namespaced")
        .withNewNames()
        .withKind(kind)
        .withListKind(kind + "List")
        .withPlural(engine.plural)
        .withSingular(kind.toLowerCase())
        .endNames()
        .addNewVersion()
        .withName(engine.version)
        .withServed(true)
        .withStorage(true)
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
