-- The watch API's history: one row per change a user can see of a job, a run or a pipeline run,
-- written by triggers in the transaction that made the change, so every write path (the API, the
-- reconciler, the status observer, the pipeline engine, another replica) is covered and nothing is
-- recorded for a change that rolled back. The id is the resourceVersion watches resume from; tx is
-- the writing transaction, which lets a reader tell a gap that is still being committed from one
-- that never will be (see io.sluice.watch.ChangeFeed).
CREATE TABLE watch_events (
    id        bigserial    PRIMARY KEY,
    tx        xid8         NOT NULL DEFAULT pg_current_xact_id(),
    at        timestamptz  NOT NULL DEFAULT now(),
    kind      varchar(16)  NOT NULL CHECK (kind IN ('job', 'run', 'pipelinerun')),
    namespace varchar(63)  NOT NULL,
    name      varchar(63)  NOT NULL,   -- the job's or the pipeline's name
    number    integer,                 -- the run's number (runs, pipeline runs)
    parent_id uuid         NOT NULL,   -- the job (jobs, runs) or the pipeline (pipeline runs)
    object_id uuid         NOT NULL,   -- the job, the run or the pipeline run
    type      varchar(8)   NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED'))
);
CREATE INDEX watch_events_at ON watch_events (at);

-- Everything at or below pruned_through is gone: a watch from an older position gets 410 Gone.
CREATE TABLE watch_horizon (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    pruned_through bigint  NOT NULL
);
INSERT INTO watch_horizon VALUES (true, 0);

CREATE FUNCTION sluice_watch_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO watch_events (kind, namespace, name, parent_id, object_id, type)
    VALUES ('job', NEW.namespace, NEW.name, NEW.id, NEW.id,
            CASE WHEN TG_OP = 'INSERT' THEN 'ADDED'
                 WHEN NEW.deleted_at IS NOT NULL THEN 'DELETED'
                 ELSE 'MODIFIED' END);
    RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_watch_insert AFTER INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION sluice_watch_job();
-- Only what the API shows: the reconciler's claims, leases, backoff and last_seen are not changes.
CREATE TRIGGER jobs_watch_update AFTER UPDATE ON jobs FOR EACH ROW
    WHEN (OLD.deleted_at IS NULL AND (
        OLD.version, OLD.current_revision, OLD.phase, OLD.message, OLD.applied_revision,
        OLD.ready_replicas, OLD.desired_replicas, OLD.conditions, OLD.last_stable_revision,
        OLD.pod_issues, OLD.scale_replicas, OLD.suspended, OLD.deleted_at)
        IS DISTINCT FROM (
        NEW.version, NEW.current_revision, NEW.phase, NEW.message, NEW.applied_revision,
        NEW.ready_replicas, NEW.desired_replicas, NEW.conditions, NEW.last_stable_revision,
        NEW.pod_issues, NEW.scale_replicas, NEW.suspended, NEW.deleted_at))
    EXECUTE FUNCTION sluice_watch_job();

-- A run's change is a change of its pipeline run too, when it is a step's attempt.
CREATE FUNCTION sluice_watch_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO watch_events (kind, namespace, name, number, parent_id, object_id, type)
    VALUES ('run', NEW.namespace, NEW.job_name, NEW.number, NEW.job_id, NEW.id,
            CASE WHEN TG_OP = 'INSERT' THEN 'ADDED' ELSE 'MODIFIED' END);
    IF NEW.pipeline_run_id IS NOT NULL THEN
        INSERT INTO watch_events (kind, namespace, name, number, parent_id, object_id, type)
        SELECT 'pipelinerun', p.namespace, p.pipeline_name, p.number, p.pipeline_id, p.id, 'MODIFIED'
          FROM pipeline_runs p WHERE p.id = NEW.pipeline_run_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER runs_watch_insert AFTER INSERT ON runs
    FOR EACH ROW EXECUTE FUNCTION sluice_watch_run();
CREATE TRIGGER runs_watch_update AFTER UPDATE ON runs FOR EACH ROW
    WHEN ((OLD.phase, OLD.submitted_at, OLD.started_at, OLD.finished_at, OLD.attempts, OLD.reason,
           OLD.message, OLD.exit_code, OLD.pod_issues)
          IS DISTINCT FROM
          (NEW.phase, NEW.submitted_at, NEW.started_at, NEW.finished_at, NEW.attempts, NEW.reason,
           NEW.message, NEW.exit_code, NEW.pod_issues))
    EXECUTE FUNCTION sluice_watch_run();

CREATE FUNCTION sluice_watch_pipeline_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO watch_events (kind, namespace, name, number, parent_id, object_id, type)
    VALUES ('pipelinerun', NEW.namespace, NEW.pipeline_name, NEW.number, NEW.pipeline_id, NEW.id,
            CASE WHEN TG_OP = 'INSERT' THEN 'ADDED'
                 WHEN NEW.deleted_at IS NOT NULL THEN 'DELETED'
                 ELSE 'MODIFIED' END);
    RETURN NULL;
END;
$$;
CREATE TRIGGER pipeline_runs_watch_insert AFTER INSERT ON pipeline_runs
    FOR EACH ROW EXECUTE FUNCTION sluice_watch_pipeline_run();
CREATE TRIGGER pipeline_runs_watch_update AFTER UPDATE ON pipeline_runs FOR EACH ROW
    WHEN (OLD.deleted_at IS NULL AND (
          OLD.phase, OLD.attempt, OLD.started_at, OLD.finished_at, OLD.reason, OLD.message,
          OLD.deleted_at)
          IS DISTINCT FROM
          (NEW.phase, NEW.attempt, NEW.started_at, NEW.finished_at, NEW.reason, NEW.message,
           NEW.deleted_at))
    EXECUTE FUNCTION sluice_watch_pipeline_run();

-- A step's change is a change of its pipeline run.
CREATE FUNCTION sluice_watch_pipeline_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO watch_events (kind, namespace, name, number, parent_id, object_id, type)
    SELECT 'pipelinerun', p.namespace, p.pipeline_name, p.number, p.pipeline_id, p.id, 'MODIFIED'
      FROM pipeline_runs p WHERE p.id = NEW.run_id AND p.deleted_at IS NULL;
    RETURN NULL;
END;
$$;
CREATE TRIGGER pipeline_steps_watch_update AFTER UPDATE ON pipeline_steps FOR EACH ROW
    WHEN ((OLD.phase, OLD.attempts, OLD.started_at, OLD.finished_at, OLD.next_attempt_at,
           OLD.reason, OLD.message)
          IS DISTINCT FROM
          (NEW.phase, NEW.attempts, NEW.started_at, NEW.finished_at, NEW.next_attempt_at,
           NEW.reason, NEW.message))
    EXECUTE FUNCTION sluice_watch_pipeline_step();
