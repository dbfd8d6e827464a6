package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import io.sluice.render.RenderFixtures;
import io.sluice.render.RenderInput;
import io.sluice.render.Renderer;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a pass leaves behind, as the next pass will compare it with the job's fingerprint. */
class PassFingerprintTest {
  private static final RenderInput SERVICE =
      RenderFixtures.input(io.sluice.job.Workload.SERVICE, RenderFixtures.spec());

  @Test
  void theObjectsAPassWroteReplaceTheVersionsItFound() {
    Set<String> found = Set.of("ConfigMap/cfg-1@3", "Deployment/web@5", "Deployment/web-2@6");
    Set<String> written = Set.of("Deployment/web@9", "Service/web@10");

    assertEquals(
        Set.of("ConfigMap/cfg-1@3", "Deployment/web@9", "Deployment/web-2@6", "Service/web@10"),
        PassFingerprint.after(found, written));
    assertSame(found, PassFingerprint.after(found, Set.of()));
  }

  @Test
  void aSkipNeedsTheSameInputTheSameVersionsAndTheSameRenderer() {
    byte[] left =
        PassFingerprint.of(snapshot(SERVICE), Set.of("Deployment/web@9", "Service/web@4"));

    assertArrayEquals(
        left, PassFingerprint.of(snapshot(SERVICE), Set.of("Service/web@4", "Deployment/web@9")));
    assertNotEquals(
        hex(left),
        hex(PassFingerprint.of(snapshot(SERVICE), Set.of("Deployment/web@10", "Service/web@4"))));
    assertNotEquals(
        hex(left), hex(PassFingerprint.of(snapshot(SERVICE), Set.of("Deployment/web@9"))));
    assertNotEquals(
        hex(left),
        hex(
            PassFingerprint.of(
                Renderer.VERSION + 1,
                snapshot(SERVICE),
                Set.of("Deployment/web@9", "Service/web@4"))),
        "an upgrade that renders differently applies every job again");
  }

  @Test
  void anythingRenderingReadsButTheSpecTextChangesTheFingerprint() {
    var spec = RenderFixtures.spec();
    var base = RenderFixtures.input(io.sluice.job.Workload.BATCH, spec);
    var splitArgs =
        List.of(new RenderInput.RunInput(1, base.revision(), List.of("a, b"), null, true));
    var twoArgs =
        List.of(new RenderInput.RunInput(1, base.revision(), List.of("a", "b"), null, true));
    List<String> fingerprints =
        Stream.of(
                base,
                like(base, base.revision(), base.openRuns(), 3),
                like(base, base.revision() + 1, base.openRuns(), null),
                like(base, base.revision(), splitArgs, null),
                like(base, base.revision(), twoArgs, null))
            .map(input -> hex(PassFingerprint.of(snapshot(input), Set.of())))
            .toList();
    assertEquals(fingerprints.size(), Set.copyOf(fingerprints).size(), fingerprints.toString());
    assertEquals(
        fingerprints.get(0),
        hex(
            PassFingerprint.of(
                snapshot(RenderFixtures.input(io.sluice.job.Workload.BATCH, spec)), Set.of())));
  }

  @Test
  void theFingerprintIsTakenWithoutReadingTheSpec() {
    Snapshot stored = snapshot(SERVICE);
    Snapshot unreadable = snapshot(SERVICE, new Snapshot.StoredSpec("{not json"));
    assertThrows(RuntimeException.class, unreadable::spec, "this spec cannot be read");

    assertArrayEquals(
        PassFingerprint.of(stored, Set.of("Deployment/web@9")),
        PassFingerprint.of(unreadable, Set.of("Deployment/web@9")),
        "a resync that finds nothing changed never reads the spec");
  }

  @Test
  void aSnapshotRendersTheInputItWasTakenFrom() {
    var base = RenderFixtures.input(io.sluice.job.Workload.BATCH, RenderFixtures.spec());
    var runs =
        List.of(
            new RenderInput.RunInput(1, base.revision(), List.of("--day", "1"), null, false),
            new RenderInput.RunInput(
                2,
                base.revision(),
                null,
                List.of(new io.sluice.job.JobSpec.EnvVar("MODE", "full")),
                true));
    RenderInput withRuns = like(base, base.revision(), runs, 2);

    assertEquals(withRuns, snapshot(withRuns).renderInput());
    assertEquals(SERVICE, snapshot(SERVICE).renderInput());
  }

  /** The snapshot a claim reads for {@code input}: its spec stored as JSON, its runs as rows. */
  static Snapshot snapshot(RenderInput input) {
    return snapshot(input, new Snapshot.StoredSpec(io.sluice.job.SpecCodec.toJson(input.spec())));
  }

  private static Snapshot snapshot(RenderInput input, Snapshot.StoredSpec spec) {
    List<Snapshot.OpenRun> runs =
        input.openRuns().stream()
            .map(
                r ->
                    new Snapshot.OpenRun(
                        r.number(),
                        r.revision(),
                        r.createJob()
                            ? io.sluice.run.RunPhase.PENDING
                            : io.sluice.run.RunPhase.RUNNING,
                        input.name() + "-" + r.number(),
                        !r.createJob(),
                        r.args() == null && r.env() == null
                            ? null
                            : new io.sluice.run.CreateRunRequest(r.args(), r.env()),
                        0,
                        null,
                        null))
            .toList();
    return new Snapshot(
        input.jobId(),
        input.namespace(),
        input.name(),
        input.type(),
        input.workload(),
        input.revision(),
        spec,
        1,
        false,
        false,
        input.revision(),
        0,
        io.sluice.job.JobPhase.READY,
        "[]",
        runs,
        input.revisionSpecs(),
        input.scaleReplicas(),
        input.suspended(),
        input.revision(),
        null,
        false,
        null);
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
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
