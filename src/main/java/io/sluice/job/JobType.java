package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a job does for a data team; also the {@code app.kubernetes.io/component} label. */
public enum JobType {
  INGESTION,
  PROCESSING,
  STORAGE;

  @JsonValue
  public String value() {
    return name().toLowerCase();
  }

  /** The workload a job of this type gets when the request does not name one. */
  public Workload defaultWorkload() {
    return this == STORAGE ? Workload.STATEFUL : Workload.BATCH;
  }

  @Override
  public String toString() {
    return value();
  }
}
