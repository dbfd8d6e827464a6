package io.sluice.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph of a pipeline's steps: its order, its cycles and what lies downstream of a
 * step. Pure: built from the spec alone, so the validator and the engine read the same graph.
 */
public final class Dag {
  /** Step name to the steps it depends on, in the spec's order. */
  private final Map<String, List<String>> upstream = new LinkedHashMap<>();

  private final Map<String, List<String>> downstream = new HashMap<>();

  private Dag() {}

  /** The graph of {@code steps}; unknown dependencies are ignored (the validator reports them). */
  public static Dag of(List<PipelineSpec.Step> steps) {
    Dag dag = new Dag();
    for (PipelineSpec.Step step : steps) {
      dag.upstream.putIfAbsent(step.name(), new ArrayList<>());
      dag.downstream.putIfAbsent(step.name(), new ArrayList<>());
    }
    for (PipelineSpec.Step step : steps) {
      for (String dep : step.dependsOnOrEmpty()) {
        if (dag.upstream.containsKey(dep) && !dag.upstream.get(step.name()).contains(dep)) {
          dag.upstream.get(step.name()).add(dep);
          dag.downstream.get(dep).add(step.name());
        }
      }
    }
    return dag;
  }

  public List<String> dependencies(String step) {
    return upstream.getOrDefault(step, List.of());
  }

  public List<String> dependents(String step) {
    return downstream.getOrDefault(step, List.of());
  }

  /**
   * A cycle as the path that closes it ({@code a, b, c, a}), or empty. Depth-first in the spec's
   * order, so the same spec always names the same cycle.
   */
  public Optional<List<String>> cycle() {
    Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
    for (String start : upstream.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<java.util.Iterator<String>> next = new ArrayDeque<>();
      path.push(start);
      next.push(dependents(start).iterator());
      state.put(start, 1);
      while (!path.isEmpty()) {
        java.util.Iterator<String> it = next.peek();
        if (!it.hasNext()) {
          state.put(path.pop(), 2);
          next.pop();
          continue;
        }
        String child = it.next();
        Integer s = state.get(child);
        if (s == null) {
          state.put(child, 1);
          path.push(child);
          next.push(dependents(child).iterator());
        } else if (s == 1) {
          List<String> onPath = new ArrayList<>(path);
          java.util.Collections.reverse(onPath);
          List<String> loop = new ArrayList<>(onPath.subList(onPath.indexOf(child), onPath.size()));
          loop.add(child);
          return Optional.of(loop);
        }
      }
    }
    return Optional.empty();
  }

  /** The steps in an order where each comes after its dependencies (the graph has no cycle). */
  public List<String> order() {
    Map<String, Integer> waiting = new HashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    for (String step : upstream.keySet()) {
      waiting.put(step, upstream.get(step).size());
      if (upstream.get(step).isEmpty()) {
        ready.add(step);
      }
    }
    List<String> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      String step = ready.poll();
      out.add(step);
      for (String child : dependents(step)) {
        if (waiting.merge(child, -1, Integer::sum) == 0) {
          ready.add(child);
        }
      }
    }
    return out;
  }

  /** {@code from} and every step that depends on one of them, directly or not. */
  public Set<String> withDownstream(Collection<String> from) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(from);
    while (!todo.isEmpty()) {
      String step = todo.poll();
      if (out.add(step)) {
        todo.addAll(dependents(step));
      }
    }
    return out;
  }

  /** Every step {@code step} depends on, directly or not. */
  public Set<String> upstreamOf(String step) {
    Set<String> out = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(dependencies(step));
    while (!todo.isEmpty()) {
      String s = todo.poll();
      if (out.add(s)) {
        todo.addAll(dependencies(s));
      }
    }
    return out;
  }
}
