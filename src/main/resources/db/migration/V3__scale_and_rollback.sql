-- Scale and suspension are operational state, not spec: they change no revision.
ALTER TABLE jobs
    ADD COLUMN scale_replicas       integer CHECK (scale_replicas >= 0),  -- set by PUT .../scale
    ADD COLUMN suspended            boolean NOT NULL DEFAULT false,
    -- Newest revision whose rollout completed with all replicas ready (service/stateful) or whose
    -- last finished run succeeded (batch/scheduled): the target of an automatic rollback.
    ADD COLUMN last_stable_revision integer,
    -- When the current applied revision was first applied; a rollout deadline counts from here.
    ADD COLUMN applied_at           timestamptz;

-- A rollback Sluice made by itself is marked, so it is never rolled back automatically again.
ALTER TABLE job_revisions ADD COLUMN automatic boolean NOT NULL DEFAULT false;
