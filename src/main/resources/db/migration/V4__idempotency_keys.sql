-- Idempotency-Key records: a POST that creates something is answered once and replayed after.
CREATE TABLE idempotency_keys (
    scope        varchar(255)  NOT NULL,   -- the caller
    route        varchar(512)  NOT NULL,   -- method and path
    key          varchar(255)  NOT NULL,
    fingerprint  varchar(64)   NOT NULL,   -- SHA-256 of the canonical request body
    status       integer       NOT NULL,
    body         text          NOT NULL,
    location     varchar(1024),
    etag         varchar(64),
    created_at   timestamptz   NOT NULL,
    expires_at   timestamptz   NOT NULL,
    PRIMARY KEY (scope, route, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
