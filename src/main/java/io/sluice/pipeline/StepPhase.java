package io.sluice.pipeline;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where one step of a pipeline run is. */
@Schema(name = "StepPhase")
public enum StepPhase {
  WAITING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  SKIPPED,
  CANCELLED;

  public boolean isTerminal() {
    return this != WAITING && this != RUNNING;
  }
}
