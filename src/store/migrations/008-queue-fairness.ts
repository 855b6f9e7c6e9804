// Migration 8: job priorities, each job's place in its caller's line, and the index fair claims read.
export const sql = /* sql */ `
-- Lower runs first (src/scheduler/job-classes.ts); rows from before this migration run at the follow-up level.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 20;
-- The job's place among jobs about the same (location, subject): its first due time. Retries and parking keep it,
-- a deferral (run again later) moves it. NULL (rows from before this migration): its run_at.
ALTER TABLE jobs ADD COLUMN queued_at INTEGER;
CREATE INDEX jobs_ready ON jobs (priority, run_at, location_id) WHERE status = 'pending';
`;
