package io.sluice.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.job.JobResponse;
import io.sluice.job.JobService;
import io.sluice.reconcile.ReconcileStore;
import io.sluice.render.Desired;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import javax.sql.DataSource;

/**
 * What {@code /manifests} shows: for the current revision, the render of the very snapshot the
 * reconciler's next pass would read (scale, suspension, open runs and their revisions), so it is
 * exactly what would be applied now; for another revision, that revision with today's scale and
 * suspension, as a rollback to it would apply.
 */
@ApplicationScoped
public class Manifests {
  private final JobService jobs;
  private final ReconcileStore store;

  public Manifests(JobService jobs, DataSource db) {
    this.jobs = jobs;
    this.store = new ReconcileStore(db);
  }

  public List<HasMetadata> render(String namespace, String name, Integer revision) {
    JobResponse job = jobs.get(namespace, name);
    RenderInput input =
        revision == null || revision == job.revision()
            ? store
                .snapshot(job.id())
                .orElseThrow(() -> io.sluice.api.SluiceException.jobNotFound(namespace, name))
                .renderInput()
            : jobs.renderInput(namespace, name, revision);
    return Renderer.render(input).stream().map(Desired::resource).toList();
  }
}
