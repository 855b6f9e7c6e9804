// Whether PostgreSQL answers: the readiness probe's cheap ping and the operator's slower check (doctor), the twin of
// src/store/database-health.ts.
import type { AsyncStore } from '../async-store.js';
import type { DatabaseHealth } from '../database-health.js';
import type { Postgres } from './pool.js';

export type PostgresDatabaseHealth = ReturnType<typeof createPostgresDatabaseHealth>;

export function createPostgresDatabaseHealth(pg: Pick<Postgres, 'pool'>) {
  const db = pg.pool;
  return {
    /** Rejects when no pooled connection can answer a query (server down, pool closed, connect timeout). */
    async ping(): Promise<void> {
      await db.query('SELECT 1');
    },
    /**
     * 'ok', or the problems found. PostgreSQL has no quick_check: its WAL keeps pages consistent, so what is checked is
     * what an operator can act on: indexes left invalid (an interrupted CREATE INDEX CONCURRENTLY) in this schema, and
     * page checksum failures the server has counted in this database (null, so never reported, without data checksums).
     */
    async quickCheck(): Promise<string> {
      const problems: string[] = [];
      const invalid = await db.query<{ name: string }>(`
        SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready) ORDER BY c.relname`);
      for (const { name } of invalid.rows) problems.push(`index ${name} is invalid (REINDEX it)`);
      const checksums = await db.query<{ failures: number | null }>(`
        SELECT checksum_failures AS failures FROM pg_stat_database WHERE datname = current_database()`);
      const failures = checksums.rows[0]?.failures ?? 0;
      if (failures > 0) problems.push(`${failures} page checksum failure(s) recorded for this database`);
      return problems.length === 0 ? 'ok' : problems.join('; ');
    },
  } satisfies AsyncStore<DatabaseHealth>;
}
