// PostgreSQL migration 16: at most one running job per caller's line, enforced by the database. The claim
// (job-claim.ts) locks every pending job of a line it takes from, and skips a line with a job running; both read the
// statement's snapshot. A claim whose snapshot was taken before another job of the line was stored (one with an
// earlier place, so the line's head) could still take the job it saw while a faster claim, which saw the newer head,
// had taken and committed that head meanwhile: two jobs of one caller running side by side (a STOP and a send to the
// same number, in the worst case). Seen about once in 150 rounds of two busy claimers (job-queue-instances test).
//
// Now the second claim's update fails on this index (23505, after waiting for the first claim's commit), and the
// queue claims again with a fresh snapshot, which sees the line busy (job-queue.ts). A line with two running jobs
// already (from that race, before this migration) keeps its first; the others go back to pending, due as they were,
// and a handler finishing one of them settles it as before (handlers tolerate a re-run). The table is locked for
// writes while this runs, so no claim adds a pair between the repair and the index. SQLite migration 16 is its
// no-op twin: one process claims one statement at a time there.
export const sql = /* sql */ `
LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE;
UPDATE jobs SET status = 'pending', lease_until = NULL
WHERE id IN (
  SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY location_id, subject ORDER BY id) AS n FROM jobs
    WHERE status = 'running' AND location_id IS NOT NULL AND subject IS NOT NULL
  ) lines WHERE n > 1
);
-- A caller's line runs one job at a time.
CREATE UNIQUE INDEX jobs_running_line ON jobs (location_id, subject)
  WHERE status = 'running' AND location_id IS NOT NULL AND subject IS NOT NULL;
`;
