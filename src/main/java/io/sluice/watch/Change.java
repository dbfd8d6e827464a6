package io.sluice.watch;

import java.util.UUID;

/**
 * One row of the watch history: a change a user can see of a job, a run or a pipeline run. The id
 * is the resourceVersion a watch resumes from.
 *
 * @param name the job's name (jobs, runs) or the pipeline's (pipeline runs)
 * @param number the run's number (runs, pipeline runs); null for jobs
 * @param parentId the job (jobs, runs) or the pipeline (pipeline runs)
 */
public record Change(
    long id,
    Kind kind,
    String namespace,
    String name,
    Integer number,
    UUID parentId,
    UUID objectId,
    String type) {

  /** What changed, as the trigger of its table records it. */
  public enum Kind {
    JOB("job"),
    RUN("run"),
    PIPELINE_RUN("pipelinerun");

    private final String column;

    Kind(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    static Kind of(String column) {
      for (Kind kind : values()) {
        if (kind.column.equals(column)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown watch kind " + column);
    }
  }
}
