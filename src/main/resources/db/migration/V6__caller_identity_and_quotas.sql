-- Callers are identified by an immutable id (token:<uuid>, config:<name>, jwt:<issuer>#<subject>)
-- in actor, created_by and idempotency scopes; the name people know them by is kept beside it
-- for display only. Rows written before this migration carry the old name-based actor.
ALTER TABLE audit_events ADD COLUMN actor_name varchar(255);

-- Per-namespace quotas (policy maxJobs, maxSpecBytes) read the live jobs' spec sizes from an
-- index, never the specs themselves. A trigger keeps the size in step with every write of spec.
ALTER TABLE jobs ADD COLUMN spec_bytes integer NOT NULL DEFAULT 0;
UPDATE jobs SET spec_bytes = octet_length(spec::text);
CREATE FUNCTION sluice_spec_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.spec_bytes := octet_length(NEW.spec::text);
    RETURN NEW;
END;
$$;
CREATE TRIGGER jobs_spec_bytes BEFORE INSERT OR UPDATE OF spec ON jobs
    FOR EACH ROW EXECUTE FUNCTION sluice_spec_bytes();
CREATE INDEX jobs_live_usage ON jobs (namespace) INCLUDE (spec_bytes) WHERE deleted_at IS NULL;
