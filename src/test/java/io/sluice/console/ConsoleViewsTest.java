package io.sluice.console;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's pure parts: where a field's line is, the side-by-side diff, the DAG, redirects. */
class ConsoleViewsTest {

  @Test
  void aFieldIsFoundAtItsLineOrItsNearestWrittenParent() {
    YamlLines lines =
        YamlLines.of(
            """
            name: a
            spec:
              image: x
              env:
                - name: A
                  value: "1"
                - name: B
            """);
    assertEquals(1, lines.lineOf("name"));
    assertEquals(3, lines.lineOf("spec.image"));
    assertEquals(7, lines.lineOf("spec.env[1].name"));
    assertEquals(6, lines.lineOf("spec.env[0].value"));
    assertEquals(2, lines.lineOf("spec.replicas"), "absent: its parent's line");
    assertEquals(0, lines.lineOf("type"), "absent at the top: no line");
    assertTrue(
        YamlLines.of("spec: [unclosed").lineOf("spec.image") <= 1,
        "a broken document maps what it read");
  }

  @Test
  void theDiffPairsChangedLinesAndKeepsTheRest() {
    LineDiff diff = LineDiff.of("a\nb\nc\nd", "a\nB\nc\nd\ne");
    List<String> kinds = diff.rows().stream().map(LineDiff.Row::kind).toList();
    assertEquals(List.of("same", "changed", "same", "same", "added"), kinds);
    LineDiff.Row changed = diff.rows().get(1);
    assertEquals("b", changed.left());
    assertEquals("B", changed.right());
    assertEquals(2, changed.leftNo());
    assertEquals(5, diff.rows().get(4).rightNo());
    assertNull(diff.rows().get(4).left());
  }

  @Test
  void textsTooLongToCompareGiveNoTable() {
    String big = "x\n".repeat(3000);
    assertFalse(LineDiff.of(big, big + "y").compared());
  }

  @Test
  void stepsAreLaidOutInTheColumnOfTheirLongestChain() {
    DagView.Layout dag =
        DagView.of(
            List.of(
                new DagView.Step("load", List.of("clean", "ingest"), "WAITING"),
                new DagView.Step("ingest", List.of(), "SUCCEEDED"),
                new DagView.Step("clean", List.of("ingest"), "RUNNING")));
    var x =
        dag.nodes().stream()
            .collect(java.util.stream.Collectors.toMap(DagView.Node::name, DagView.Node::x));
    assertTrue(x.get("ingest") < x.get("clean"));
    assertTrue(x.get("clean") < x.get("load"));
    assertEquals(3, dag.edges().size());
    assertTrue(dag.width() > x.get("load"));
  }

  @Test
  void onlyAConsolePathMayFollowSignIn() {
    assertEquals("/ui/namespaces/data/jobs", ConsolePaths.safeNext("/ui/namespaces/data/jobs"));
    for (String hostile :
        List.of(
            "https://evil.example/ui/",
            "//evil.example",
            "/\\evil.example",
            "/api/v1/tokens",
            "/ui/\nx")) {
      assertEquals(ConsolePaths.NAMESPACES, ConsolePaths.safeNext(hostile), hostile);
    }
    assertEquals(ConsolePaths.NAMESPACES, ConsolePaths.safeNext(null));
  }
}
