-- Pipelines: DAGs of job steps run as one unit, with immutable numbered revisions like jobs.

CREATE TABLE pipelines (
    id               uuid         PRIMARY KEY,
    namespace        varchar(63)  NOT NULL,
    name             varchar(63)  NOT NULL,
    current_revision integer      NOT NULL CHECK (current_revision > 0),
    spec             jsonb        NOT NULL,            -- copy of the current revision's spec
    spec_hash        varchar(64)  NOT NULL,
    labels           jsonb        NOT NULL DEFAULT '{}'::jsonb,
    version          bigint       NOT NULL,            -- optimistic lock; the ETag
    suspended        boolean      NOT NULL DEFAULT false,
    next_run_number  integer      NOT NULL DEFAULT 1,
    -- The schedule's next firing; NULL without a schedule. The engine claims due pipelines with
    -- FOR UPDATE SKIP LOCKED, so one replica starts each scheduled run.
    next_fire_at     timestamptz,
    last_fired_at    timestamptz,
    created_at       timestamptz  NOT NULL,
    created_by       varchar(255) NOT NULL,
    updated_at       timestamptz  NOT NULL,
    deleted_at       timestamptz,
    deleted_by       varchar(255)
);
CREATE UNIQUE INDEX pipelines_live_name ON pipelines (namespace, name) WHERE deleted_at IS NULL;
CREATE INDEX pipelines_live_labels ON pipelines USING gin (labels jsonb_path_ops) WHERE deleted_at IS NULL;
CREATE INDEX pipelines_due_fire ON pipelines (next_fire_at) WHERE deleted_at IS NULL AND NOT suspended;

CREATE TABLE pipeline_revisions (
    pipeline_id  uuid          NOT NULL REFERENCES pipelines (id),
    revision     integer       NOT NULL CHECK (revision > 0),
    spec         jsonb         NOT NULL,
    spec_hash    varchar(64)   NOT NULL,
    created_at   timestamptz   NOT NULL,
    created_by   varchar(255)  NOT NULL,
    change_cause varchar(1024),
    rollback_of  integer,
    PRIMARY KEY (pipeline_id, revision)
);
CREATE TRIGGER pipeline_revisions_append_only BEFORE UPDATE OR DELETE ON pipeline_revisions
    FOR EACH ROW EXECUTE FUNCTION sluice_append_only();

CREATE TABLE pipeline_runs (
    id              uuid          PRIMARY KEY,
    pipeline_id     uuid          NOT NULL REFERENCES pipelines (id),
    number          integer       NOT NULL CHECK (number > 0),
    namespace       varchar(63)   NOT NULL,
    pipeline_name   varchar(63)   NOT NULL,
    revision        integer       NOT NULL,
    trigger         varchar(16)   NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    parameters      jsonb         NOT NULL DEFAULT '{}'::jsonb,   -- resolved: defaults filled in
    phase           varchar(16)   NOT NULL CHECK (phase IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    attempt         integer       NOT NULL DEFAULT 1,             -- 1 + the retries of the run
    created_at      timestamptz   NOT NULL,
    created_by      varchar(255)  NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    reason          varchar(128),
    message         text,
    -- Work queue of the engine: due when next_advance_at has passed (NULL: only when woken by a
    -- step's run ending). Claimed with FOR UPDATE SKIP LOCKED inside the pass's transaction.
    next_advance_at timestamptz,
    deleted_at      timestamptz,
    UNIQUE (pipeline_id, number)
);
CREATE INDEX pipeline_runs_list ON pipeline_runs (pipeline_id, number DESC) WHERE deleted_at IS NULL;
CREATE INDEX pipeline_runs_due ON pipeline_runs (next_advance_at) WHERE phase IN ('PENDING', 'RUNNING');

-- One row per step of a pipeline run; the attempts of a job step are its runs (runs.pipeline_*).
CREATE TABLE pipeline_steps (
    run_id          uuid          NOT NULL REFERENCES pipeline_runs (id),
    name            varchar(63)   NOT NULL,
    phase           varchar(16)   NOT NULL CHECK (phase IN ('WAITING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED')),
    job_id          uuid,                                -- pinned: the job and its revision
    job_revision    integer,
    attempts        integer       NOT NULL DEFAULT 0,    -- attempts started, over every retry of the run
    retries_used    integer       NOT NULL DEFAULT 0,    -- attempts beyond the first, in this pass of the run
    started_at      timestamptz,
    finished_at     timestamptz,
    next_attempt_at timestamptz,                         -- a retry's backoff
    reason          varchar(128),
    message         text,
    PRIMARY KEY (run_id, name)
);

ALTER TABLE runs DROP CONSTRAINT runs_trigger_check;
ALTER TABLE runs ADD CONSTRAINT runs_trigger_check CHECK (trigger IN ('manual', 'schedule', 'pipeline'));
ALTER TABLE runs
    ADD COLUMN pipeline_run_id uuid REFERENCES pipeline_runs (id),
    ADD COLUMN pipeline_name   varchar(63),
    ADD COLUMN pipeline_run    integer,
    ADD COLUMN pipeline_step   varchar(63),
    ADD COLUMN step_attempt    integer;
-- A step attempt is started once: a second engine (or a retried pass) cannot insert it again.
CREATE UNIQUE INDEX runs_pipeline_step_attempt ON runs (pipeline_run_id, pipeline_step, step_attempt)
    WHERE pipeline_run_id IS NOT NULL;

-- Audit events are about a job or a pipeline (subject_id is the job_id column, kept by name).
ALTER TABLE audit_events ADD COLUMN subject varchar(16) NOT NULL DEFAULT 'job';
