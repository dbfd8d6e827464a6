-- Jobs, their immutable numbered revisions, and the append-only audit trail.
-- Flyway owns the schema; Hibernate only validates that the mappings fit it.

CREATE TABLE jobs (
    id               uuid         PRIMARY KEY,
    namespace        varchar(63)  NOT NULL,
    name             varchar(63)  NOT NULL,
    type             varchar(16)  NOT NULL CHECK (type IN ('ingestion', 'processing', 'storage')),
    workload         varchar(16)  NOT NULL CHECK (workload IN ('batch', 'scheduled', 'service', 'stateful')),
    current_revision integer      NOT NULL CHECK (current_revision > 0),
    spec             jsonb        NOT NULL,            -- copy of the current revision's spec
    spec_hash        varchar(64)     NOT NULL,            -- SHA-256 of its canonical JSON
    labels           jsonb        NOT NULL DEFAULT '{}'::jsonb,
    version          bigint       NOT NULL,            -- optimistic lock; the ETag
    phase            varchar(16)  NOT NULL,
    message          text,
    applied_revision integer,
    last_seen        timestamptz,
    created_at       timestamptz  NOT NULL,
    created_by       varchar(255) NOT NULL,
    updated_at       timestamptz  NOT NULL,
    deleted_at       timestamptz,
    deleted_by       varchar(255),
    purge_volumes    boolean      NOT NULL DEFAULT false
);

-- A name is unique among live jobs; a deleted job keeps its history and frees its name.
CREATE UNIQUE INDEX jobs_live_name ON jobs (namespace, name) WHERE deleted_at IS NULL;
-- Filtered lists are range scans too: (filter, namespace, name) serves both the one-namespace
-- and the all-namespace list in keyset order.
CREATE INDEX jobs_live_type ON jobs (type, namespace, name) WHERE deleted_at IS NULL;
CREATE INDEX jobs_live_workload ON jobs (workload, namespace, name) WHERE deleted_at IS NULL;
CREATE INDEX jobs_live_phase ON jobs (phase, namespace, name) WHERE deleted_at IS NULL;
CREATE INDEX jobs_live_labels ON jobs USING gin (labels jsonb_path_ops) WHERE deleted_at IS NULL;

CREATE TABLE job_revisions (
    job_id       uuid          NOT NULL REFERENCES jobs (id),
    revision     integer       NOT NULL CHECK (revision > 0),
    spec         jsonb         NOT NULL,
    spec_hash    varchar(64)      NOT NULL,
    created_at   timestamptz   NOT NULL,
    created_by   varchar(255)  NOT NULL,
    change_cause varchar(1024),
    rollback_of  integer,
    PRIMARY KEY (job_id, revision)
);

CREATE TABLE audit_events (
    id        bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id    uuid,
    namespace varchar(63)  NOT NULL,
    job_name  varchar(63),
    at        timestamptz  NOT NULL,
    actor     varchar(255) NOT NULL,
    action    varchar(64)  NOT NULL,
    outcome   varchar(16)  NOT NULL CHECK (outcome IN ('success', 'failure', 'rejected')),
    revision  integer,
    message   text,
    details   jsonb
);
CREATE INDEX audit_events_job ON audit_events (job_id, id DESC);

-- History is append-only: revisions and audit events can be written once, never changed.
CREATE FUNCTION sluice_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER job_revisions_append_only BEFORE UPDATE OR DELETE ON job_revisions
    FOR EACH ROW EXECUTE FUNCTION sluice_append_only();
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION sluice_append_only();
