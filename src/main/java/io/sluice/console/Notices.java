package io.sluice.console;

import java.util.Map;

/**
 * What a page says after an action succeeded. A redirect names the notice by key, never by text, so
 * a crafted link cannot make the console say something it did not do.
 */
final class Notices {
  private static final Map<String, String> TEXT =
      Map.ofEntries(
          Map.entry("created", "Job created."),
          Map.entry("updated", "Job updated: a new revision was written."),
          Map.entry("unchanged", "Nothing changed: the spec is the same as the current one."),
          Map.entry("run", "Run started."),
          Map.entry("cancelled", "Run cancelled."),
          Map.entry("scaled", "Scale set."),
          Map.entry("suspended", "Job suspended."),
          Map.entry("resumed", "Job resumed."),
          Map.entry("rolledBack", "Rolled back: a new revision with the chosen spec was written."),
          Map.entry("deleted", "Job deleted; its Kubernetes objects are being removed."),
          Map.entry("pipelineRun", "Pipeline run started."),
          Map.entry("pipelineRetried", "Pipeline run retried."),
          Map.entry("pipelineCancelled", "Pipeline run cancelled."));

  private Notices() {}

  static String text(String key) {
    return key == null ? null : TEXT.get(key);
  }
}
