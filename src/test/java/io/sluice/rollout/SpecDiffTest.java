package io.sluice.rollout;

import static org.junit.jupiter.api.Assertions.*;

import io.sluice.job.SpecCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecDiffTest {

  @Test
  void reportsChangedAddedAndRemovedFieldsByPath() {
    var from =
        SpecCodec.spec(
            "{\"image\":\"a\",\"env\":[{\"name\":\"X\",\"value\":\"1\"}],\"replicas\":2}");
    var to =
        SpecCodec.spec(
            "{\"image\":\"b\",\"env\":[{\"name\":\"X\",\"value\":\"2\"},{\"name\":\"Y\",\"value\":\"3\"}],\"config\":{\"k\":\"v\"}}");

    List<SpecDiff.Change> changes = SpecDiff.between(from, to);

    assertEquals(
        List.of(
            new SpecDiff.Change("spec.config.k", "added", null, "v"),
            new SpecDiff.Change("spec.env[0].value", "changed", "1", "2"),
            new SpecDiff.Change("spec.env[1].name", "added", null, "Y"),
            new SpecDiff.Change("spec.env[1].value", "added", null, "3"),
            new SpecDiff.Change("spec.image", "changed", "a", "b"),
            new SpecDiff.Change("spec.replicas", "removed", 2, null)),
        changes);
  }

  @Test
  void equivalentSpecsHaveNoDifferences() {
    var a = SpecCodec.spec("{\"image\":\"a\",\"args\":[]}");
    var b = SpecCodec.spec("{\"image\":\"a\"}");
    assertTrue(SpecDiff.between(a, b).isEmpty());
  }
}
