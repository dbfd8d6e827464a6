package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dependency graph, without Quarkus: cycles named as paths, order, downstream. */
class DagTest {
  static PipelineSpec.Step step(String name, String... deps) {
    return new PipelineSpec.Step(
        name,
        "j",
        null,
        null,
        null,
        deps.length == 0 ? null : List.of(deps),
        null,
        null,
        null,
        null);
  }

  @Test
  void aCycleIsNamedAsThePathThatClosesIt() {
    Dag dag = Dag.of(List.of(step("a", "c"), step("b", "a"), step("c", "b"), step("d")));
    assertEquals(Optional.of(List.of("a", "b", "c", "a")), dag.cycle());
  }

  @Test
  void aLongerGraphWithACycleDeepInsideFindsIt() {
    List<PipelineSpec.Step> steps = new ArrayList<>();
    steps.add(step("s0"));
    for (int i = 1; i < 150; i++) {
      steps.add(step("s" + i, "s" + (i - 1)));
    }
    steps.add(step("x", "s149", "y"));
    steps.add(step("y", "x"));
    assertEquals(Optional.of(List.of("x", "y", "x")), Dag.of(steps).cycle());
  }

  @Test
  void aDiamondHasNoCycleAndOrdersEachStepAfterItsDependencies() {
    Dag dag =
        Dag.of(
            List.of(
                step("join", "left", "right"),
                step("left", "root"),
                step("right", "root"),
                step("root")));
    assertEquals(Optional.empty(), dag.cycle());
    List<String> order = dag.order();
    assertEquals(4, order.size());
    assertEquals("root", order.get(0));
    assertEquals("join", order.get(3));
  }

  @Test
  void downstreamIsTransitiveAndIncludesTheStart() {
    Dag dag = Dag.of(List.of(step("a"), step("b", "a"), step("c", "b"), step("d", "a"), step("e")));
    assertEquals(Set.of("b", "c"), dag.withDownstream(List.of("b")));
    assertEquals(Set.of("a", "b", "c", "d"), dag.withDownstream(List.of("a")));
    assertEquals(Set.of("a", "b"), dag.upstreamOf("c"));
  }
}
