package io.sluice.job;

import java.time.Instant;
import java.util.UUID;

/** One immutable revision row; the database refuses updates and deletes of it. */
public class JobRevisionEntity {
  public UUID jobId;
  public int revision;
  public String spec;
  public String specHash;
  public Instant createdAt;
  public String createdBy;
  public String changeCause;
  public Integer rollbackOf;

  /** True for a rollback Sluice made by itself after a rollout deadline passed. */
  public boolean automatic;
}
