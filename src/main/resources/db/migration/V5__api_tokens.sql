-- API tokens for machine callers (Airflow, CI). Only a SHA-256 of each token is stored: tokens are
-- 256 random bits, so a fast hash is as strong as a slow one and keeps verification cheap.
CREATE TABLE api_tokens (
    id          uuid          PRIMARY KEY,
    name        varchar(63)   NOT NULL,
    sha256      char(64)      NOT NULL UNIQUE,
    role        varchar(16)   NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    namespaces  text          NOT NULL,   -- comma-separated; '*' for all
    created_at  timestamptz   NOT NULL,
    created_by  varchar(255)  NOT NULL,
    expires_at  timestamptz,
    revoked_at  timestamptz,
    revoked_by  varchar(255)
);
-- A name identifies one live token; revoked names may be reused.
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
