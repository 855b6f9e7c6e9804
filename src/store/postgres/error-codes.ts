// PostgreSQL's error codes (SQLSTATE) the stores act on, where a statement that failed is simply run again.
/** PostgreSQL broke a lock cycle by aborting this statement; nothing of it was kept. */
export const DEADLOCK_DETECTED = '40P01';
/** A unique index refused a row; in the queue's claim, a caller's line that another claim took first (migration 16). */
export const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a `pg` error, or undefined for anything else. */
export const sqlStateOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;
