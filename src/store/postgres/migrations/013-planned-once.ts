// PostgreSQL migration 13: the queue's claim (src/store/postgres/job-claim.ts) and its batched completion as functions
// whose plans are made once per connection. As prepared statements PostgreSQL planned them afresh on every run (their
// custom plans looked cheaper than the generic one), and planning cost more than running them: about 2 ms per claim,
// 0.2 ms per completion. Forced generic, a claim of 8 among 1M pending jobs takes 1.7 ms instead of 4.3
// (docs/performance.md). The statements are the ones the queue ran until now, with the same parameters. Only adds
// (CREATE OR REPLACE): a build before it keeps running its own statements. SQLite migration 13 is its no-op twin.
export const sql = /* sql */ `
-- Parameters: now, limit, lease until, lookahead, whether to look past a level's crowding locations, how many lines
-- to try. Rows: the claimed jobs in claim order (ord), or one row of nulls when none; every row carries crowded and
-- elsewhere (see job-claim.ts).
CREATE OR REPLACE FUNCTION textback_claim_jobs(bigint, integer, bigint, integer, boolean, integer)
RETURNS TABLE (
  id bigint, kind text, location_id text, subject text, dedupe_key text, payload text, status text, run_at bigint,
  attempts integer, max_attempts integer, lease_until bigint, last_error text, created_at bigint, finished_at bigint,
  priority integer, queued_at bigint, ord bigint, crowded bigint, elsewhere bigint
)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH RECURSIVE levels (priority) AS (
    -- Priority levels with pending jobs, one index probe each (a skip scan of jobs_ready).
    SELECT MIN(priority) FROM jobs WHERE status = 'pending'
    UNION ALL
    SELECT (SELECT MIN(j.priority) FROM jobs j WHERE j.status = 'pending' AND j.priority > l.priority)
    FROM levels l WHERE l.priority IS NOT NULL
  ),
  slice AS (
    -- Each level's first due jobs, in the order they fell due.
    SELECT s.* FROM levels l CROSS JOIN LATERAL (
      SELECT j.id, j.priority, j.run_at, j.location_id, j.subject FROM jobs j
      WHERE j.status = 'pending' AND j.priority = l.priority AND j.run_at <= $1
      ORDER BY j.run_at, j.id LIMIT $4
    ) s
    WHERE l.priority IS NOT NULL
  ),
  crowded AS (
    -- Levels with more due jobs than were looked at: the locations those came from may hide everyone else's.
    SELECT priority, COALESCE(array_agg(DISTINCT location_id) FILTER (WHERE location_id IS NOT NULL), '{}') AS seen
    FROM slice GROUP BY priority HAVING COUNT(*) = $4 AND $5::boolean
  ),
  elsewhere AS (
    SELECT e.* FROM crowded c CROSS JOIN LATERAL (
      SELECT j.id, j.priority, j.run_at, j.location_id, j.subject FROM jobs j
      WHERE j.status = 'pending' AND j.priority = c.priority AND j.run_at <= $1 AND j.location_id <> ALL (c.seen)
      ORDER BY j.run_at, j.id LIMIT $2
    ) e
  ),
  candidates AS (SELECT * FROM slice UNION ALL SELECT * FROM elsewhere),
  ranked AS (
    -- Round-robin within a level: a job's round is its rank in its location; locations take turns in the order their
    -- first due job fell due. A job without a location is a location of its own.
    SELECT c.*, row_number() OVER loc AS round, first_value(c.run_at) OVER loc AS loc_run_at, first_value(c.id) OVER loc AS loc_id
    FROM candidates c
    WINDOW loc AS (PARTITION BY c.priority, c.location_id, CASE WHEN c.location_id IS NULL THEN c.id END ORDER BY c.run_at, c.id)
  ),
  ordered AS (
    SELECT r.*, row_number() OVER (ORDER BY r.priority, r.round, r.loc_run_at, r.loc_id) AS ord FROM ranked r
  ),
  busy AS MATERIALIZED (
    SELECT DISTINCT location_id, subject FROM jobs
    WHERE status = 'running' AND location_id IS NOT NULL AND subject IS NOT NULL
  ),
  resolved AS (
    -- A candidate of a line stands for the line's head: its pending job with the earliest place that has come (a job
    -- brought forward takes the earlier of its place and its run_at). A head not due yet blocks its line.
    SELECT o.ord, COALESCE(h.id, o.id) AS id, COALESCE(h.run_at, o.run_at) AS run_at, o.location_id, o.subject,
      (o.location_id IS NOT NULL AND o.subject IS NOT NULL) AS lined
    FROM ordered o
    LEFT JOIN LATERAL (
      SELECT j.id, j.run_at FROM jobs j
      WHERE o.location_id IS NOT NULL AND o.subject IS NOT NULL
        AND j.status = 'pending' AND j.location_id = o.location_id AND j.subject = o.subject
        AND LEAST(COALESCE(j.queued_at, j.run_at), j.run_at) <= $1
      ORDER BY LEAST(COALESCE(j.queued_at, j.run_at), j.run_at), j.id LIMIT 1
    ) h ON true
    WHERE NOT EXISTS (SELECT 1 FROM busy b WHERE b.location_id = o.location_id AND b.subject = o.subject)
  ),
  picked AS MATERIALIZED (
    -- One entry per line (candidates of one line resolve to one head), at its first candidate's turn.
    SELECT * FROM (SELECT DISTINCT ON (id) * FROM resolved WHERE run_at <= $1 ORDER BY id, ord) heads
    ORDER BY ord LIMIT $6
  ),
  line_rows AS MATERIALIZED (
    -- Every pending job of each picked line as the snapshot has them (a lone job is its own line).
    SELECT p.ord, j.id FROM picked p
    JOIN jobs j ON j.status = 'pending' AND j.location_id = p.location_id AND j.subject = p.subject
    WHERE p.lined
    UNION ALL
    SELECT p.ord, p.id FROM picked p WHERE NOT p.lined
  ),
  locked AS MATERIALIZED (
    -- Re-read at their newest versions: a row another claim holds is skipped, one it took is no longer pending.
    SELECT j.id, j.run_at FROM jobs j
    WHERE j.id = ANY (ARRAY(SELECT id FROM line_rows)) AND j.status = 'pending'
    FOR UPDATE SKIP LOCKED
  ),
  whole AS (
    SELECT lr.ord FROM line_rows lr LEFT JOIN locked l ON l.id = lr.id
    GROUP BY lr.ord HAVING COUNT(l.id) = COUNT(*)
  ),
  chosen AS (
    SELECT p.id, p.ord FROM picked p
    JOIN whole w ON w.ord = p.ord
    JOIN locked l ON l.id = p.id
    WHERE l.run_at <= $1
    ORDER BY p.ord LIMIT $2
  ),
  claimed AS (
    UPDATE jobs j SET status = 'running', lease_until = $3, attempts = j.attempts + 1
    FROM chosen c WHERE j.id = c.id
    RETURNING j.*, c.ord
  )
  SELECT claimed.id, claimed.kind, claimed.location_id, claimed.subject, claimed.dedupe_key, claimed.payload,
    claimed.status, claimed.run_at, claimed.attempts, claimed.max_attempts, claimed.lease_until, claimed.last_error,
    claimed.created_at, claimed.finished_at, claimed.priority, claimed.queued_at, claimed.ord, meta.crowded, meta.elsewhere
  FROM (SELECT (SELECT COUNT(*) FROM crowded) AS crowded, (SELECT COUNT(*) FROM elsewhere) AS elsewhere) meta
  LEFT JOIN claimed ON true
  ORDER BY claimed.ord;
END
$fn$;

-- The jobs a worker finished side by side, settled together: ids, finish times and whether to forget each payload.
CREATE OR REPLACE FUNCTION textback_complete_jobs(p_ids bigint[], p_ats bigint[], p_forget boolean[]) RETURNS void
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  UPDATE jobs j SET status = 'done', lease_until = NULL, finished_at = c.at,
    payload = CASE WHEN c.forget THEN 'null' ELSE j.payload END
  FROM unnest(p_ids, p_ats, p_forget) AS c (id, at, forget) WHERE j.id = c.id;
END
$fn$;
`;
