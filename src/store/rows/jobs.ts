// The jobs table's row and the Job it reads as, shared by the SQLite and PostgreSQL job queues.
import type { Job, JobStatus } from '../../scheduler/queue-port.js';

export interface JobRow {
  id: number; kind: string; location_id: string | null; subject: string | null; dedupe_key: string | null;
  payload: string; status: JobStatus; run_at: number; attempts: number; max_attempts: number;
  last_error: string | null; created_at: number; priority: number; queued_at: number | null;
}

export const toJob = (row: JobRow): Job => ({
  id: row.id, kind: row.kind, locationId: row.location_id, subject: row.subject, dedupeKey: row.dedupe_key,
  payload: JSON.parse(row.payload), status: row.status, runAt: row.run_at, attempts: row.attempts,
  maxAttempts: row.max_attempts, lastError: row.last_error, createdAt: row.created_at, priority: row.priority,
  queuedAt: row.queued_at ?? row.run_at,
});
