package io.sluice.render;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.sluice.job.JobSpec;
import io.sluice.job.SpecCodec;
import java.util.Optional;
import java.util.TreeMap;

/** Builds the ConfigMap of a revision's config entries; none when there are none. */
public final class ConfigMaps {
  private ConfigMaps() {}

  /** Where config entries appear as files in every container. */
  public static final String MOUNT_PATH = "/etc/sluice/config";

  public static final String VOLUME = "sluice-config";

  /** Hash of the config content; part of the ConfigMap's name. */
  public static Optional<String> hash(JobSpec spec) {
    if (spec.configOrEmpty().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(SpecCodec.sha256(SpecCodec.toJson(new TreeMap<>(spec.configOrEmpty()))));
  }

  public static Optional<String> name(RenderInput job, JobSpec spec) {
    return hash(spec).map(h -> Names.configMap(job.name(), h));
  }

  public static Optional<ConfigMap> render(RenderInput job, JobSpec spec, int revision) {
    return hash(spec)
        .map(
            hash ->
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(Names.configMap(job.name(), hash))
                    .withNamespace(job.namespace())
                    .withLabels(Labels.of(job))
                    .addToAnnotations(Labels.REVISION_ANNOTATION, Integer.toString(revision))
                    .addToAnnotations(Labels.CONFIG_HASH_ANNOTATION, hash)
                    .endMetadata()
                    .withData(new TreeMap<>(spec.configOrEmpty()))
                    .withImmutable(true)
                    .build());
  }
}
