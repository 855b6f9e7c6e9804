// PostgreSQL migration 15: a claim's look at each priority level reads only that level's due jobs. The claim of
// migration 13 asked for "status pending, this priority, run_at <= now, ordered by run_at, id"; its generic plan took
// the `jobs_due (run_at)` index and filtered on priority, so every level's look walked the due jobs of every other
// level too, and jobs with equal run_at (a batch stored in one intake commit shares its time) had to be read in full
// to be sorted by id. Behind a backlog of 20,000 queued events, one claim cost 9–14 ms and one instance cleared
// 655–672 events/s (`backlog-postgres`, docs/performance.md).
//
// Now: an index in the look's own order, `(priority, run_at, id)` of pending jobs, and the look ordered by
// `priority, run_at, id`. The level is the outer row of the look (not a constant), so its priority stays in the
// order, and only this index yields that order without a sort: the plan made once per connection walks it from the
// level's first due job and stops after the lookahead, or at the first job not due yet. (A row comparison,
// `(priority, run_at) <= (level, now)`, was tried first to the same end: PostgreSQL 15 stops a scan on such a bound
// only by its first column, so a look at a level walked every job of it, due or not.) The function is migration
// 13's claim with those two orders changed; its completion function is created again unchanged. Only adds: the
// claim keeps its name, parameters and rows, so a build before this one, which calls it, claims through the new
// looks too. The index is built with the jobs table locked for writes, for as long as a build of it takes (seconds
// for a million pending jobs).
import { sql as plannedOnce } from './013-planned-once.js';

/**
 * Migration 13's two looks and what replaces them: a level's first due jobs, then other locations' in a level. Only
 * the order changes: the level's priority is part of it, an order only `jobs_level_due` gives without sorting.
 */
const LOOKS: ReadonlyArray<readonly [string, string]> = [
  [
    `WHERE j.status = 'pending' AND j.priority = l.priority AND j.run_at <= $1
      ORDER BY j.run_at, j.id LIMIT $4`,
    `WHERE j.status = 'pending' AND j.priority = l.priority AND j.run_at <= $1
      ORDER BY j.priority, j.run_at, j.id LIMIT $4`,
  ],
  [
    `WHERE j.status = 'pending' AND j.priority = c.priority AND j.run_at <= $1 AND j.location_id <> ALL (c.seen)
      ORDER BY j.run_at, j.id LIMIT $2`,
    `WHERE j.status = 'pending' AND j.priority = c.priority AND j.run_at <= $1 AND j.location_id <> ALL (c.seen)
      ORDER BY j.priority, j.run_at, j.id LIMIT $2`,
  ],
];

function claimByLevel(): string {
  let functions = plannedOnce;
  for (const [before, after] of LOOKS) {
    if (functions.split(before).length !== 2) throw new Error(`migration 15: migration 13 no longer has exactly one "${before}"`);
    functions = functions.replace(before, () => after);
  }
  return functions;
}

export const sql = /* sql */ `
-- Each priority level's pending jobs in the order a claim takes them.
CREATE INDEX jobs_level_due ON jobs (priority, run_at, id) WHERE status = 'pending';
${claimByLevel()}`;
