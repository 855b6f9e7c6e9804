// Both storage engines for store contract suites: a fresh SQLite file, or the PostgreSQL test database emptied, each
// with the same small raw-row access (seed what the store under test reads but does not write; check what it wrote).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import type { Postgres } from '../../src/store/postgres/pool.js';
import type { Awaitable } from '../../src/store/async-store.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface EngineRows {
  /** Inserts one row, column → value, straight into a table. */
  insert(table: string, row: Record<string, unknown>): Promise<void>;
  /** Runs a query written with `?` placeholders (turned into $1, $2… on PostgreSQL) and returns its rows. */
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement written with `?` placeholders; answers how many rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/** What a contract's factory answers: the store, raw rows on the same database, and what closes both. */
export interface StoreFixture<S> {
  store: S;
  rows: EngineRows;
  close(): Awaitable<void>;
}

const placeholders = (n: number, dollar: boolean) => Array.from({ length: n }, (_, i) => (dollar ? `$${i + 1}` : '?')).join(', ');

function insertSql(table: string, columns: string[], dollar: boolean): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders(columns.length, dollar)})`;
}

/** A new SQLite database in a temp directory, migrated; `close` deletes it. */
export function openSqliteEngine(): { db: Db; rows: EngineRows; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'textback-store-contract-'));
  const db = openDatabase(join(dir, 'store.sqlite'));
  return {
    db,
    rows: {
      async insert(table, row) {
        db.prepare(insertSql(table, Object.keys(row), false)).run(...Object.values(row));
      },
      async all<T>(sql: string, params: unknown[] = []) {
        return db.prepare(sql).all(...params) as T[];
      },
      async run(sql, params = []) {
        return db.prepare(sql).run(...params).changes;
      },
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Raw rows on a PostgreSQL pool. */
export function postgresRows(pg: Postgres): EngineRows {
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    async insert(table, row) {
      await pg.pool.query(insertSql(table, Object.keys(row), true), Object.values(row));
    },
    async all<T>(sql: string, params: unknown[] = []) {
      return (await pg.pool.query(numbered(sql), params)).rows as T[];
    },
    async run(sql, params = []) {
      return (await pg.pool.query(numbered(sql), params)).rowCount ?? 0;
    },
  };
}

/** Empties every table of the migrated test database (the schema stays), so each test starts as on a new install. */
export async function emptyPostgres(pg: Postgres): Promise<void> {
  const { rows } = await pg.pool.query<{ name: string }>(`
    SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
  if (rows.length > 0) await pg.pool.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')} RESTART IDENTITY CASCADE`);
}

/**
 * One migrated PostgreSQL database for the calling describe block (created before its tests, dropped after). `fresh()`
 * empties it and answers its pool and raw rows: call it in a contract's factory, so every test starts empty.
 */
export function usePostgresEngine() {
  let database: TestDatabase | undefined;
  let pg: Postgres | undefined;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: true });
    pg = database.open();
  });
  afterAll(async () => { await database?.drop(); });
  const opened = () => {
    if (!pg || !database) throw new Error('usePostgresEngine: the database is not open yet (call inside a test)');
    return { pg, database };
  };
  return {
    /** The pool of the test file's database. */
    pg: () => opened().pg,
    /** Another pool on the same database: a second instance. */
    open: () => opened().database.open(),
    async fresh(): Promise<{ pg: Postgres; rows: EngineRows }> {
      const { pg: pool } = opened();
      await emptyPostgres(pool);
      return { pg: pool, rows: postgresRows(pool) };
    },
  };
}

/** An installed location row (what stores joining `locations` or referencing it need), written raw. */
export async function seedLocation(rows: EngineRows, locationId: string, columns: Record<string, unknown> = {}): Promise<void> {
  await rows.insert('locations', {
    location_id: locationId, company_id: null, status: 'installed', settings: '{}', installed_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000, ...columns,
  });
}
