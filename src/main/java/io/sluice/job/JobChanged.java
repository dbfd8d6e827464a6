package io.sluice.job;

import java.util.UUID;

/**
 * Fired when a job's desired state changed. Observed after the transaction commits, it wakes the
 * reconciler so the normal path takes milliseconds rather than a resync period.
 */
public record JobChanged(UUID jobId) {}
