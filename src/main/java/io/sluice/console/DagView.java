package io.sluice.console;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pipeline's steps laid out for drawing: each step in the column of its longest chain of
 * dependencies, steps of a column in name order, an arrow from each dependency. Pure; the template
 * draws it as SVG. Cycles cannot reach here (the API refuses them).
 */
public final class DagView {
  static final int WIDTH = 176;
  static final int HEIGHT = 48;
  static final int GAP_X = 56;
  static final int GAP_Y = 20;
  static final int MARGIN = 12;

  /** A step to draw. */
  public record Step(String name, List<String> dependsOn, String phase) {}

  /** A drawn step: its box and the phase it shows. */
  @TemplateData
  public record Node(String name, String phase, int x, int y, int textX, int nameY, int phaseY) {}

  /** An arrow from a dependency to its dependent, as an SVG path. */
  @TemplateData
  public record Edge(String from, String to, String d) {}

  @TemplateData
  public record Layout(List<Node> nodes, List<Edge> edges, int width, int height) {}

  private DagView() {}

  public static Layout of(List<Step> steps) {
    Map<String, Step> byName = new HashMap<>();
    steps.forEach(s -> byName.put(s.name(), s));
    Map<String, Integer> column = new HashMap<>();
    steps.forEach(s -> columnOf(s.name(), byName, column, 0));
    Map<Integer, List<String>> columns = new TreeMap<>();
    steps.stream()
        .map(Step::name)
        .sorted()
        .forEach(n -> columns.computeIfAbsent(column.get(n), k -> new ArrayList<>()).add(n));
    Map<String, Node> nodes = new HashMap<>();
    int rows = 0;
    for (var entry : columns.entrySet()) {
      int x = MARGIN + entry.getKey() * (WIDTH + GAP_X);
      int row = 0;
      for (String name : entry.getValue()) {
        int y = MARGIN + row++ * (HEIGHT + GAP_Y);
        nodes.put(name, new Node(name, byName.get(name).phase(), x, y, x + 12, y + 20, y + 38));
      }
      rows = Math.max(rows, row);
    }
    List<Edge> edges = new ArrayList<>();
    for (Step s : steps) {
      Node to = nodes.get(s.name());
      for (String dep : s.dependsOn() == null ? List.<String>of() : s.dependsOn()) {
        Node from = nodes.get(dep);
        if (from != null) {
          int x1 = from.x() + WIDTH;
          int y1 = from.y() + HEIGHT / 2;
          int x2 = to.x() - 4;
          int y2 = to.y() + HEIGHT / 2;
          int mid = (x1 + x2) / 2;
          edges.add(
              new Edge(
                  dep,
                  s.name(),
                  "M" + x1 + " " + y1 + " C" + mid + " " + y1 + " " + mid + " " + y2 + " " + x2
                      + " " + y2));
        }
      }
    }
    List<Node> ordered = steps.stream().map(Step::name).sorted().map(nodes::get).toList();
    int width = MARGIN * 2 + columns.size() * WIDTH + Math.max(0, columns.size() - 1) * GAP_X;
    int height = MARGIN * 2 + rows * HEIGHT + Math.max(0, rows - 1) * GAP_Y;
    return new Layout(ordered, edges, width, height);
  }

  private static int columnOf(
      String name, Map<String, Step> steps, Map<String, Integer> memo, int depth) {
    Integer known = memo.get(name);
    if (known != null) {
      return known;
    }
    Step step = steps.get(name);
    int column = 0;
    if (step != null && step.dependsOn() != null && depth < steps.size()) {
      for (String dep : step.dependsOn()) {
        if (steps.containsKey(dep)) {
          column = Math.max(column, columnOf(dep, steps, memo, depth + 1) + 1);
        }
      }
    }
    memo.put(name, column);
    return column;
  }
}
