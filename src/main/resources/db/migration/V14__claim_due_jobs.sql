-- The due jobs a claim takes (ReconcileStore.claimDue): the longest-due first, read from
-- jobs_reconcile_due in its order and locked (SKIP LOCKED) for the claiming UPDATE that calls it.
-- Sorting is off for this query only. PostgreSQL's statistics are taken while jobs are due later,
-- so left to itself it expects a handful to be due and reads and sorts every due job to pick the
-- first: after a restart, or when a resync period comes round for thousands of jobs at once, each
-- claim of 16 read them all. Without sorting, the only plan is the index scan, which stops at the
-- limit. A function with its own setting keeps the claim one statement (one round trip).
CREATE FUNCTION sluice_due_jobs(integer) RETURNS SETOF uuid
    LANGUAGE sql VOLATILE ROWS 16
    SET enable_sort = off
AS $$
    SELECT id FROM jobs
     WHERE purged_at IS NULL AND next_reconcile_at <= now()
       AND (claimed_until IS NULL OR claimed_until < now())
     ORDER BY next_reconcile_at
     LIMIT $1
       FOR UPDATE SKIP LOCKED
$$;
