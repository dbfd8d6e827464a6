package io.sluice.run;

import java.util.UUID;

/**
 * Fired when runs of a job were ended by an API call rather than by the cluster (a cancel, the
 * job's deletion), so what waits on them (a pipeline run) hears of it once the change commits.
 */
public record RunsEnded(UUID jobId) {}
