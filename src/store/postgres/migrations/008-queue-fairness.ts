// PostgreSQL twin of SQLite migration 8: job priorities, each job's place in its caller's line, and the index fair
// claims read.
export const sql = /* sql */ `
-- Lower runs first (src/jobs/priorities.ts); rows from before this migration run at the follow-up level.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 20;
-- The job's place among jobs about the same (location, subject): its first due time. NULL: its run_at.
ALTER TABLE jobs ADD COLUMN queued_at BIGINT;
CREATE INDEX jobs_ready ON jobs (priority, run_at, location_id) WHERE status = 'pending';
`;
