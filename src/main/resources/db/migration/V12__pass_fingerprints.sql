-- What the last successful pass of a job rendered from and left behind, as one SHA-256: the
-- renderer's version, the render input (revision numbers standing for their immutable specs, open
-- runs, scale, suspension) and the cluster objects' kind/name@resourceVersion. A pass finding the
-- same fingerprint skips rendering and comparing, in whichever replica and after any restart; a new
-- renderer version (an upgrade that renders differently) matches no stored fingerprint, so every
-- job is applied again. NULL: the next pass does the whole work. Not a change the watch API shows
-- (jobs_watch_update lists the columns it does).
ALTER TABLE jobs ADD COLUMN pass_fingerprint bytea;
