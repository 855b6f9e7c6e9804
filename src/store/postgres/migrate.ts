// Brings a PostgreSQL schema up to date at start-up, safely when several instances start at once: one transaction
// under a transaction-scoped advisory lock applies whatever is missing and records it in schema_migrations; the
// others wait for that lock, then find nothing left to do.
import type { Pool } from 'pg';
import { POSTGRES_MIGRATIONS } from './migrations/index.js';
import { transaction } from './pool.js';

/** The advisory lock every instance's migration takes (any constant: "textback" in ASCII as a 64-bit integer). */
export const MIGRATION_LOCK_KEY = '8387242322309505899';

export interface MigrationResult {
  /** Versions this call applied (empty when another instance, or an earlier start, already had). */
  applied: number[];
  /** The highest version recorded in the database afterwards. */
  version: number;
  /**
   * The database is ahead of this build (a newer instance of a rolling deploy migrated it). Migrations only add, so
   * this build keeps working; it is reported, not refused.
   */
  newerThanBuild: boolean;
}

/**
 * Applies the migrations above the highest recorded version, in order, all in one transaction: a failure leaves the
 * schema as it was. The lock is transaction-scoped, so it also holds behind PgBouncer in transaction mode.
 */
export async function migratePostgres(pool: Pool, migrations: readonly string[] = POSTGRES_MIGRATIONS, now = Date.now()): Promise<MigrationResult> {
  return transaction(pool, async (client) => {
    // Neither waiting for another instance's migration nor a long one (an index on a big table) is a stuck statement.
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        applied_at BIGINT NOT NULL
      )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    const applied: number[] = [];
    for (let version = current + 1; version <= migrations.length; version += 1) {
      await client.query(migrations[version - 1]);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, now]);
      applied.push(version);
    }
    return { applied, version: Math.max(current, migrations.length), newerThanBuild: current > migrations.length };
  });
}
