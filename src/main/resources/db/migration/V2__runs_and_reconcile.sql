-- Reconciliation bookkeeping on jobs, and runs of batch and scheduled jobs.

ALTER TABLE jobs
    -- Desired-state counter: bumped by every change the cluster must follow (spec, runs, cancels,
    -- deletion). The reconciler records the generation it applied.
    ADD COLUMN generation            bigint      NOT NULL DEFAULT 1,
    ADD COLUMN reconciled_generation bigint      NOT NULL DEFAULT 0,
    -- Work queue: a job is due when next_reconcile_at has passed. A reconciler claims it with
    -- SELECT ... FOR UPDATE SKIP LOCKED and holds a lease until claimed_until; claim_token is
    -- the fencing token (a write with a stale token updates nothing).
    ADD COLUMN next_reconcile_at     timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN claimed_by            varchar(255),
    ADD COLUMN claimed_until         timestamptz,
    ADD COLUMN claim_token           bigint      NOT NULL DEFAULT 0,
    ADD COLUMN reconcile_failures    integer     NOT NULL DEFAULT 0,
    -- Observed status.
    ADD COLUMN conditions            jsonb       NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN ready_replicas        integer,
    ADD COLUMN desired_replicas      integer,
    -- Runs are numbered per job.
    ADD COLUMN next_run_number       integer     NOT NULL DEFAULT 1,
    -- Set once a deleted job's cluster objects are gone: nothing left to reconcile.
    ADD COLUMN purged_at             timestamptz;

CREATE INDEX jobs_reconcile_due ON jobs (next_reconcile_at) WHERE purged_at IS NULL;

CREATE TABLE runs (
    id             uuid          PRIMARY KEY,
    job_id         uuid          NOT NULL REFERENCES jobs (id),
    number         integer       NOT NULL CHECK (number > 0),
    namespace      varchar(63)   NOT NULL,
    job_name       varchar(63)   NOT NULL,
    revision       integer       NOT NULL,
    k8s_name       varchar(63)   NOT NULL,   -- the Kubernetes Job; deterministic for manual runs
    trigger        varchar(16)   NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    overrides      jsonb,
    phase          varchar(16)   NOT NULL CHECK (phase IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    created_at     timestamptz   NOT NULL,
    created_by     varchar(255)  NOT NULL,
    submitted_at   timestamptz,              -- when Sluice created (or found) the Kubernetes Job
    started_at     timestamptz,
    finished_at    timestamptz,
    attempts       integer       NOT NULL DEFAULT 0,
    reason         varchar(128),
    message        text,
    exit_code      integer,
    cleaned_up     boolean       NOT NULL DEFAULT false,   -- a cancelled run's Kubernetes Job is gone
    UNIQUE (job_id, number),
    UNIQUE (job_id, k8s_name)
);

CREATE INDEX runs_job ON runs (job_id, number DESC);
-- Runs the reconciler still has to act on.
CREATE INDEX runs_open ON runs (job_id) WHERE phase IN ('PENDING', 'RUNNING') OR (phase = 'CANCELLED' AND NOT cleaned_up);

-- A terminal run never changes phase again.
CREATE FUNCTION runs_terminal_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.phase IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND NEW.phase <> OLD.phase THEN
        RAISE EXCEPTION 'run % is % and cannot become %', OLD.id, OLD.phase, NEW.phase
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER runs_terminal_is_final BEFORE UPDATE ON runs
    FOR EACH ROW EXECUTE FUNCTION runs_terminal_is_final();
