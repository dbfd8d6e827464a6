package io.sluice.run;

import io.sluice.job.JobMapper;
import io.sluice.job.SpecCodec;

/** Maps run rows to API records. */
final class RunMapper {
  private RunMapper() {}

  static RunResponse toResponse(RunEntity run) {
    return new RunResponse(
        run.id,
        run.namespace,
        run.jobName,
        run.number,
        run.revision,
        run.phase,
        run.trigger,
        run.k8sName,
        run.overrides == null ? null : SpecCodec.read(run.overrides, CreateRunRequest.class),
        run.createdBy,
        JobMapper.utc(run.createdAt),
        JobMapper.utc(run.startedAt),
        JobMapper.utc(run.finishedAt),
        run.attempts,
        run.reason,
        run.message,
        run.exitCode,
        SpecCodec.podIssues(run.podIssues),
        run.pipelineName == null
            ? null
            : new RunResponse.PipelineRunRef(
                run.pipelineName, run.pipelineRun, run.pipelineStep, run.stepAttempt));
  }
}
