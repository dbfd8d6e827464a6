package io.sluice.pipeline;

/** A pipeline run changed through the API; {@code jobsChanged} when job runs were cancelled. */
public record PipelineChanged(boolean jobsChanged) {}
