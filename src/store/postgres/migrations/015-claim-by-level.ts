// PostgreSQL migration 15: a claim's look at each priority level reads only that level's due jobs. The claim of
// migration 13 asked for "status pending, this priority, run_at <= now, ordered by run_at, id"; its generic plan took
// the `jobs_due (run_at)` index and filtered on priority, so every level's look walked the due jobs of every other
// level too, and jobs with equal run_at (a batch stored in one intake commit shares its time) had to be read in full
// to be sorted by id. Behind a backlog of 20,000 queued events, one claim cost 9–14 ms and one instance cleared
// 655–672 events/s (`backlog-postgres`, docs/performance.md).
//
// Now: an index in the look's own order, `(priority, run_at, id)` of pending jobs, and the look's bound written as a
// row comparison, `(priority, run_at) <= (level, now)`, which only an index led by priority can serve, so the plan
// made once per connection walks that index from the level's first due job and stops after the lookahead. The
// function is migration 13's claim with those two predicates changed (the same parameters and rows; its completion
// function is created again unchanged). Only adds: a build before it keeps its own function, which now finds one
// more index to maintain. The index is built with the jobs table locked for writes, for as long as a build of it
// takes (seconds for a million pending jobs).
import { sql as plannedOnce } from './013-planned-once.js';

/** Migration 13's predicates and what replaces them: a level's first due jobs, then other locations' in a level. */
const LOOKS: ReadonlyArray<readonly [string, string]> = [
  [
    `WHERE j.status = 'pending' AND j.priority = l.priority AND j.run_at <= $1`,
    `WHERE j.status = 'pending' AND j.priority = l.priority AND (j.priority, j.run_at) <= (l.priority, $1)`,
  ],
  [
    `WHERE j.status = 'pending' AND j.priority = c.priority AND j.run_at <= $1 AND j.location_id <> ALL (c.seen)`,
    `WHERE j.status = 'pending' AND j.priority = c.priority AND (j.priority, j.run_at) <= (c.priority, $1) AND j.location_id <> ALL (c.seen)`,
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
