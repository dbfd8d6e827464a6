package io.sluice.render;

import io.sluice.job.JobSpec;
import io.sluice.job.JobType;
import io.sluice.job.Workload;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Job snapshots for rendering tests, built without Quarkus or a database. */
final class RenderFixtures {
  private RenderFixtures() {}

  static final UUID ID = UUID.fromString("01939c4e-8a9b-7c2d-9e1f-3a4b5c6d7e8f");

  static JobSpec spec() {
    return new JobSpec(
        "ghcr.io/acme/app:1.0",
        List.of("/bin/app"),
        List.of("--verbose"),
        List.of(new JobSpec.EnvVar("LOG_LEVEL", "debug")),
        Map.of("app.yaml", "a: 1\n"),
        true,
        List.of("db-credentials"),
        new JobSpec.Resources(
            new JobSpec.ResourceList("250m", "256Mi"), new JobSpec.ResourceList("1", "1Gi")),
        List.of(new JobSpec.VolumeSpec("data", "10Gi", "fast", null, "/data")),
        List.of(new JobSpec.PortSpec("http", 8080, null)),
        null,
        null,
        null,
        null,
        new JobSpec.Probes(
            null,
            new JobSpec.Probe(
                new JobSpec.HttpGetAction("/ready", 8080), null, null, 5, 10, null, 3),
            null),
        Map.of("team", "data"),
        Map.of("acme.io/owner", "data-eng"),
        Map.of("disktype", "ssd"),
        List.of(
            new JobSpec.Toleration(
                "dedicated",
                JobSpec.TolerationOperator.Equal,
                "data",
                JobSpec.TaintEffect.NoSchedule,
                null)),
        "app-sa");
  }

  static RenderInput input(Workload workload, JobSpec spec) {
    return new RenderInput(
        ID, "data", "app", JobType.PROCESSING, workload, 3, spec, List.of(), Map.of());
  }

  static RenderInput input(
      Workload workload,
      JobSpec spec,
      List<RenderInput.RunInput> runs,
      Map<Integer, JobSpec> older) {
    return new RenderInput(ID, "data", "app", JobType.INGESTION, workload, 3, spec, runs, older);
  }

  static JobSpec with(JobSpec s, Integer replicas, JobSpec.BatchSpec batch, String schedule) {
    return new JobSpec(
        s.image(),
        s.command(),
        s.args(),
        s.env(),
        s.config(),
        s.configAsEnv(),
        s.secretRefs(),
        s.resources(),
        s.volumes(),
        s.ports(),
        replicas,
        batch,
        schedule,
        null,
        s.probes(),
        s.labels(),
        s.annotations(),
        s.nodeSelector(),
        s.tolerations(),
        s.serviceAccountName());
  }

  static JobSpec withConfig(JobSpec s, Map<String, String> config) {
    return new JobSpec(
        s.image(),
        s.command(),
        s.args(),
        s.env(),
        config,
        s.configAsEnv(),
        s.secretRefs(),
        s.resources(),
        s.volumes(),
        s.ports(),
        s.replicas(),
        s.batch(),
        s.schedule(),
        s.scheduling(),
        s.probes(),
        s.labels(),
        s.annotations(),
        s.nodeSelector(),
        s.tolerations(),
        s.serviceAccountName());
  }

  static JobSpec withImage(JobSpec s, String image) {
    return new JobSpec(
        image,
        s.command(),
        s.args(),
        s.env(),
        s.config(),
        s.configAsEnv(),
        s.secretRefs(),
        s.resources(),
        s.volumes(),
        s.ports(),
        s.replicas(),
        s.batch(),
        s.schedule(),
        s.scheduling(),
        s.probes(),
        s.labels(),
        s.annotations(),
        s.nodeSelector(),
        s.tolerations(),
        s.serviceAccountName());
  }
}
