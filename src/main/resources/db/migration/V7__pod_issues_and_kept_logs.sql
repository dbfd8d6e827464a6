-- Why pods are stuck, as the cluster reported it (#18): kept beside the message, structured.
ALTER TABLE jobs ADD COLUMN pod_issues jsonb;
ALTER TABLE runs ADD COLUMN pod_issues jsonb;

-- Logs of ended runs, kept after their pods are gone: the last bytes of each container's log,
-- gzip-compressed, purged after a retention.
CREATE TABLE run_logs (
  run_id     uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  pod        text        NOT NULL,
  container  text        NOT NULL,
  content    bytea       NOT NULL,
  bytes      bigint      NOT NULL,
  truncated  boolean     NOT NULL,
  kept_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, container)
);
CREATE INDEX run_logs_kept_at ON run_logs (kept_at);
