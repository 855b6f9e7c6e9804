// Whether the database answers: the readiness probe's cheap ping and the operator's slower page-by-page check.
import type { Db } from './db.js';

export type DatabaseHealth = ReturnType<typeof createDatabaseHealth>;

export function createDatabaseHealth(db: Db) {
  const select1 = db.prepare('SELECT 1').pluck();
  return {
    /** Throws when the database cannot answer a query (closed, file gone, locked past the busy timeout). */
    ping(): void {
      select1.get();
    },
    /** SQLite's quick_check: 'ok', or the first problems it found. Reads every page: for the CLI, not for probes. */
    quickCheck(): string {
      return db.pragma('quick_check', { simple: true }) as string;
    },
  };
}
