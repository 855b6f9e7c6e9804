// PostgreSQL migration 15: a claim's look at each priority level reads only that level's due jobs. The claim of
// migration 13 asks, per level, for "status pending, this priority, run_at <= now, ordered by run_at, id, the first
// 64". Its plan is made once per connection (generic), and that plan took `jobs_due (run_at)`, filtered on priority
// and sorted by id among equal run_at (an incremental sort, which the planner prices as if run_at were never
// repeated). So every level's look walked the due jobs of every other level, and jobs due at one moment (an intake
// commit stores its batch with one time) were read in full to be sorted. Behind a backlog of 20,000 queued events a
// claim cost 9–14 ms, and one instance cleared 563–672 events/s (`backlog-postgres`, docs/performance.md).
//
// Now: an index in the look's own order, `(priority, run_at, id)` of pending jobs, and the claim function planned
// without incremental sorts. The look's order then costs a full sort on any other index, and the plan walks this one
// from the level's first due job, stopping after the lookahead or at the first job not due yet (measured: 1.6 ms for
// the claim above, with the plan reading 32 rows per level). The rest of the claim sorts a few dozen rows at a time
// and loses nothing. Tried first, and not kept: the look ordered by `priority, run_at, id` (a plan whose level is an
// outer parameter treats priority as constant and drops it from the order: chosen or not by the table's statistics),
// and bounded by a row comparison `(priority, run_at) <= (level, now)` (PostgreSQL 15 stops a scan on such a bound by
// its first column only, so the look walked every job of the level, due or not).
//
// Only adds: the claim keeps its statement, name, parameters and rows, so a build before this one claims through the
// new plan too. The index is built with the jobs table locked for writes, for as long as that takes (seconds for a
// million pending jobs).
export const sql = /* sql */ `
-- Each priority level's pending jobs in the order a claim takes them.
CREATE INDEX jobs_level_due ON jobs (priority, run_at, id) WHERE status = 'pending';
ALTER FUNCTION textback_claim_jobs(bigint, integer, bigint, integer, boolean, integer) SET enable_incremental_sort = off;
`;
