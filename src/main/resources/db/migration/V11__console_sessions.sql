-- Sessions of the web console. The cookie holds 256 random bits; only their SHA-256 is kept, with
-- the SHA-256 of the API token that signed in: every request checks that token again, so revoking
-- or expiring it ends its sessions. csrf is the synchronizer token every form of the session sends.
CREATE TABLE console_sessions (
    id_sha256    char(64)     PRIMARY KEY,
    token_sha256 char(64)     NOT NULL,
    csrf         varchar(64)  NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    expires_at   timestamptz  NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
