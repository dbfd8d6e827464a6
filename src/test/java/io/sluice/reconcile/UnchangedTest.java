package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import io.sluice.render.RenderInput;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a pass leaves behind, as the next pass will compare it with the cache. */
class UnchangedTest {
  @Test
  void theObjectsAPassWroteReplaceTheVersionsItFound() {
    Set<String> found = Set.of("ConfigMap/cfg-1@3", "Deployment/web@5", "Deployment/web-2@6");
    Set<String> written = Set.of("Deployment/web@9", "Service/web@10");

    assertEquals(
        Set.of("ConfigMap/cfg-1@3", "Deployment/web@9", "Deployment/web-2@6", "Service/web@10"),
        Unchanged.after(found, written));
    assertSame(found, Unchanged.after(found, Set.of()));
  }

  @Test
  void aSkipNeedsTheSameInputAndTheSameVersions() {
    Unchanged unchanged = new Unchanged();
    var job = java.util.UUID.randomUUID();
    var input =
        io.sluice.render.RenderFixtures.input(
            io.sluice.job.Workload.SERVICE, io.sluice.render.RenderFixtures.spec());
    unchanged.remember(job, input, Set.of("Deployment/web@9"));

    assertTrue(unchanged.same(job, input, Set.of("Deployment/web@9")));
    assertFalse(unchanged.same(job, input, Set.of("Deployment/web@10")));
    assertFalse(unchanged.same(job, input, Set.of("Deployment/web@9", "Service/web@2")));
    unchanged.forget(job);
    assertFalse(unchanged.same(job, input, Set.of("Deployment/web@9")));
  }

  @Test
  void anythingRenderingReadsButTheSpecTextChangesTheDigest() {
    var spec = io.sluice.render.RenderFixtures.spec();
    var base = io.sluice.render.RenderFixtures.input(io.sluice.job.Workload.BATCH, spec);
    var splitArgs =
        List.of(new RenderInput.RunInput(1, base.revision(), List.of("a, b"), null, true));
    var twoArgs =
        List.of(new RenderInput.RunInput(1, base.revision(), List.of("a", "b"), null, true));
    List<byte[]> digests =
        Stream.of(
                base,
                like(base, base.revision(), base.openRuns(), 3),
                like(base, base.revision() + 1, base.openRuns(), null),
                like(base, base.revision(), splitArgs, null),
                like(base, base.revision(), twoArgs, null))
            .map(Unchanged::digest)
            .toList();
    for (int i = 0; i < digests.size(); i++) {
      for (int j = i + 1; j < digests.size(); j++) {
        assertFalse(java.util.Arrays.equals(digests.get(i), digests.get(j)), i + " vs " + j);
      }
    }
    assertArrayEquals(
        Unchanged.digest(base),
        Unchanged.digest(
            io.sluice.render.RenderFixtures.input(io.sluice.job.Workload.BATCH, spec)));
  }

  /** {@code base} with another revision, open runs or scale. */
  private static RenderInput like(
      RenderInput base, int revision, List<RenderInput.RunInput> runs, Integer scale) {
    return new RenderInput(
        base.jobId(),
        base.namespace(),
        base.name(),
        base.type(),
        base.workload(),
        revision,
        base.spec(),
        runs,
        base.revisionSpecs(),
        scale,
        false);
  }
}
