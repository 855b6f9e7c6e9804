// The PostgreSQL queue's claim: one statement that chooses due jobs the way docs/decisions/0008-fair-queue.md says
// (priority, then one job per location per round, a caller's line only through its head) and takes them with
// FOR UPDATE SKIP LOCKED, so any number of instances claim side by side without taking a job twice or running two
// jobs of one (location, subject) line at once.
//
// Why whole lines are locked: a line's head is read from the statement's snapshot, and two instances whose snapshots
// differ (a job enqueued between them with an earlier place) could each see a different head of the same line. So a
// claim locks EVERY pending job of each line it takes from (SKIP LOCKED) and takes the head only when it got them
// all: of two claims racing on one line, the later snapshot contains the other's head, finds it locked (skipped, so
// the count falls short) or already running (the locked row is re-read at its newest version, which no longer
// matches status = 'pending'), and leaves the line alone. Running jobs are seen through the snapshot: a line with one
// is not considered. A job with no subject, or no location, stands alone.
// One case gets past both: a claim whose snapshot predates the line's new head sees an older job as the head, and
// finds it free once a faster claim has taken that new head and committed. The database refuses the second running
// job of the line (unique index, migration 16), and the queue claims again with a fresh snapshot (job-queue.ts).

/** Due jobs a claim looks at per priority level; past that, one more look for other locations' jobs (see below). */
export const LOOKAHEAD = 64;

/**
 * The claim is one statement, kept in a function (PostgreSQL migration 013, where the query and its comments are) so
 * that it is planned once per connection rather than on every claim.
 * Parameters: $1 now, $2 limit, $3 lease until, $4 lookahead, $5 whether to look past a level's crowding locations,
 * $6 how many lines to try (more than the limit, so a claim racing another one still fills its batch).
 * Rows: the claimed jobs in claim order (`ord`), or one row of nulls when none; every row carries `crowded` (levels
 * whose first LOOKAHEAD due jobs were all looked at) and `elsewhere` (jobs found past their locations).
 */
export const CLAIM_SQL = /* sql */ `SELECT * FROM textback_claim_jobs($1, $2, $3, $4, $5, $6)`;

/**
 * Whether a claim looks past the locations crowding a level. A look that found nobody else is not repeated until a
 * job is enqueued (here, or announced by another instance) or 100 ms pass: a lone backlog would otherwise pay a scan
 * of all its due jobs on every claim.
 */
export function createElsewhereMemo() {
  let enqueued = 0;
  let emptyAt: { at: number; enqueued: number } | null = null;
  return {
    enqueued(): void { enqueued += 1; },
    shouldLook(now: number): boolean {
      return !(emptyAt && emptyAt.enqueued === enqueued && now - emptyAt.at < 100);
    },
    saw(now: number, crowded: number, found: number): void {
      if (crowded > 0 && found === 0) emptyAt = { at: now, enqueued };
      else if (found > 0) emptyAt = null;
    },
  };
}
