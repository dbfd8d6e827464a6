package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
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
}
