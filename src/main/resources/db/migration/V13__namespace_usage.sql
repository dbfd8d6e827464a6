-- Per-namespace quota usage (policy maxJobs, maxSpecBytes) as one row per namespace, kept in step
-- with every write of jobs by a trigger, instead of counting the namespace's live jobs on each
-- create. Counting cost a create O(jobs in the namespace) and, read without a lock, let concurrent
-- creates each see room for one more job and all commit past the quota. A create now inserts its
-- job (the trigger adds it to the row, which locks the row until the transaction ends) and then
-- checks the row: creates and spec-growing updates within one namespace queue on that row, so
-- the quota holds under any concurrency. Lock order everywhere: a job's row, then its namespace's.
CREATE TABLE namespace_usage (
    namespace  varchar(63) PRIMARY KEY,
    jobs       bigint      NOT NULL,
    spec_bytes bigint      NOT NULL
);

CREATE FUNCTION sluice_namespace_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NULL
            AND OLD.namespace = NEW.namespace THEN
        UPDATE namespace_usage SET spec_bytes = spec_bytes + NEW.spec_bytes - OLD.spec_bytes
            WHERE namespace = NEW.namespace;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE namespace_usage SET jobs = jobs - 1, spec_bytes = spec_bytes - OLD.spec_bytes
            WHERE namespace = OLD.namespace;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO namespace_usage AS u (namespace, jobs, spec_bytes)
            VALUES (NEW.namespace, 1, NEW.spec_bytes)
            ON CONFLICT (namespace) DO UPDATE
            SET jobs = u.jobs + 1, spec_bytes = u.spec_bytes + excluded.spec_bytes;
    END IF;
    RETURN NULL;
END;
$$;

-- Writers that run while this migration does (another replica on the old version) wait for it, so
-- the backfill and the triggers see every job exactly once.
LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER jobs_namespace_usage_add_remove AFTER INSERT OR DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION sluice_namespace_usage();
-- spec_bytes follows spec (trigger jobs_spec_bytes), so an update of spec can change it.
CREATE TRIGGER jobs_namespace_usage_change AFTER UPDATE OF namespace, spec, spec_bytes, deleted_at
    ON jobs FOR EACH ROW
    WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.spec_bytes <> NEW.spec_bytes
          OR OLD.namespace <> NEW.namespace)
    EXECUTE FUNCTION sluice_namespace_usage();
INSERT INTO namespace_usage (namespace, jobs, spec_bytes)
    SELECT namespace, count(*), coalesce(sum(spec_bytes), 0) FROM jobs
    WHERE deleted_at IS NULL GROUP BY namespace;

-- Only the count read this index.
DROP INDEX jobs_live_usage;
