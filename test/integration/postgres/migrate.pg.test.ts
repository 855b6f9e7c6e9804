// PostgreSQL migrations: several instances starting at once migrate once, and the schema is the SQLite schema's twin
// (same tables, columns, constraints' columns and indexes, partial ones included).
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';
import { migratePostgres } from '../../../src/store/postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/migrations/index.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';

/** An index as both engines can be compared on: table, name, columns, and whether it is partial. */
function describeIndex(table: string, name: string, definition: string): string {
  const columns = /\(([^)]*)\)/.exec(definition)?.[1].replace(/\s+/g, '') ?? '?';
  return `${table}.${name}(${columns})${/ WHERE /i.test(definition) ? ' partial' : ''}`;
}

describe.runIf(hasPostgres)('PostgreSQL migrations', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => { await database?.drop(); database = undefined; });

  it('when three instances start at once on an empty database, then each migration is applied exactly once', async () => {
    database = await createTestDatabase();
    const pools = [database.open({ max: 2 }), database.open({ max: 2 }), database.open({ max: 2 })];
    const results = await Promise.all(pools.map((pg) => migratePostgres(pg.pool)));
    const applied = results.flatMap((result) => result.applied).sort((a, b) => a - b);
    expect(applied).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
    expect(results.filter((result) => result.applied.length > 0)).toHaveLength(1);
    const { rows } = await pools[0].pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(applied);
    expect(results.every((result) => result.version === POSTGRES_MIGRATIONS.length && !result.newerThanBuild)).toBe(true);
  });

  it('when the database is ahead of the build (a rolling deploy), then starting works and says so, changing nothing', async () => {
    database = await createTestDatabase();
    const pg = database.open();
    await migratePostgres(pg.pool);
    const older = await migratePostgres(pg.pool, POSTGRES_MIGRATIONS.slice(0, 8));
    expect(older).toEqual({ applied: [], version: POSTGRES_MIGRATIONS.length, newerThanBuild: true });
  });

  it('when migrated, then the queue\'s claim and completion run in functions planned once per connection, not on every call', async () => {
    database = await createTestDatabase();
    const pg = database.open();
    await migratePostgres(pg.pool);
    const { rows } = await pg.pool.query<{ config: string[] | null }>(
      `SELECT proname AS name, proconfig AS config FROM pg_proc WHERE proname IN ('textback_claim_jobs', 'textback_complete_jobs') ORDER BY proname`);
    expect(rows).toEqual([
      { name: 'textback_claim_jobs', config: ['plan_cache_mode=force_generic_plan', 'enable_incremental_sort=off'] },
      { name: 'textback_complete_jobs', config: ['plan_cache_mode=force_generic_plan'] },
    ]);
    // And it claims: one due job, returned with its place and the claim's bookkeeping columns.
    await pg.pool.query(`INSERT INTO jobs (kind, payload, status, run_at, created_at, priority) VALUES ('k', '{}', 'pending', 1, 1, 0)`);
    const claimed = await pg.pool.query(`SELECT id, status, attempts, ord, crowded, elsewhere FROM textback_claim_jobs(10, 8, 99, 64, true, 16)`);
    expect(claimed.rows).toEqual([{ id: 1, status: 'running', attempts: 1, ord: 1, crowded: 0, elsewhere: 0 }]);
    await pg.pool.query(`SELECT textback_complete_jobs('{1}', '{20}', '{true}')`);
    const done = await pg.pool.query(`SELECT status, finished_at, payload, lease_until FROM jobs`);
    expect(done.rows).toEqual([{ status: 'done', finished_at: 20, payload: 'null', lease_until: null }]);
  });

  it('when a caller\'s line has two running jobs before migration 16 (the claim race it closes), then the first keeps running, the other waits again, and no second one can start', async () => {
    database = await createTestDatabase();
    const pg = database.open();
    await migratePostgres(pg.pool, POSTGRES_MIGRATIONS.slice(0, 15));
    const insert = (key: string, subject: string | null, status: string) => pg.pool.query(`
      INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, created_at, lease_until, attempts)
      VALUES ('k', 'loc-1', $1, $2, '{}', $3, 5, 1, $4, 1)`, [subject, key, status, status === 'running' ? 99 : null]);
    await insert('first', '+15550001', 'running');
    await insert('second', '+15550001', 'running');
    await insert('other-line', '+15550002', 'running');
    await insert('no-subject-a', null, 'running');
    await insert('no-subject-b', null, 'running');
    expect(await migratePostgres(pg.pool)).toMatchObject({ applied: [16] });

    const { rows } = await pg.pool.query<{ key: string; status: string; lease: number | null }>(
      'SELECT dedupe_key AS key, status, lease_until AS lease FROM jobs ORDER BY id');
    expect(rows).toEqual([
      { key: 'first', status: 'running', lease: 99 },
      { key: 'second', status: 'pending', lease: null },
      { key: 'other-line', status: 'running', lease: 99 },
      { key: 'no-subject-a', status: 'running', lease: 99 },
      { key: 'no-subject-b', status: 'running', lease: 99 },
    ]);
    await expect(pg.pool.query(`UPDATE jobs SET status = 'running' WHERE dedupe_key = 'second'`)).rejects.toMatchObject({ code: '23505' });
  });

  it('when a migration fails, then none of that start\'s migrations are recorded or applied', async () => {
    database = await createTestDatabase();
    const pg = database.open();
    await expect(migratePostgres(pg.pool, ['CREATE TABLE a (x INTEGER);', 'CREATE TABLE b (x NOPE);'])).rejects.toThrow();
    const { rows } = await pg.pool.query(`SELECT to_regclass('a') AS a, to_regclass('schema_migrations') AS m`);
    expect(rows[0]).toEqual({ a: null, m: null });
  });

  it('when both engines are migrated to the same version, then they have the same tables, columns, keys and indexes', async () => {
    database = await createTestDatabase();
    const pg = database.open();
    await migratePostgres(pg.pool);
    // Every SQLite migration, not only as many as PostgreSQL has: one without its twin fails here.
    expect(POSTGRES_MIGRATIONS).toHaveLength(MIGRATIONS.length);
    const sqlite = new Database(':memory:');
    for (const sql of MIGRATIONS) sqlite.exec(sql);

    const sqliteTables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    const sqliteColumns = sqliteTables.flatMap((table) =>
      (sqlite.prepare(`SELECT name, "notnull" AS required, pk FROM pragma_table_info(?)`).all(table) as { name: string; required: number; pk: number }[])
        .map((c) => `${table}.${c.name}${c.required || c.pk ? ' not null' : ''}`)).sort();
    const sqliteIndexes = (sqlite.prepare(`SELECT name, tbl_name AS tbl, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as { name: string; tbl: string; sql: string }[])
      .map((i) => describeIndex(i.tbl, i.name, i.sql));

    const { rows: columns } = await pg.pool.query<{ t: string; c: string; nullable: string }>(`
      SELECT table_name AS t, column_name AS c, is_nullable AS nullable FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`);
    const { rows: indexes } = await pg.pool.query<{ t: string; i: string; def: string }>(`
      SELECT tablename AS t, indexname AS i, indexdef AS def FROM pg_indexes
      WHERE schemaname = 'public' AND indexdef NOT LIKE '%UNIQUE%' ORDER BY indexname`);
    const { rows: tables } = await pg.pool.query<{ t: string }>(`
      SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY t`);

    expect(tables.map((t) => t.t)).toEqual(sqliteTables);
    expect(columns.map((c) => `${c.t}.${c.c}${c.nullable === 'NO' ? ' not null' : ''}`).sort()).toEqual(sqliteColumns);
    // Indexes only one engine's plans need: PostgreSQL's claim is planned once per connection (013) and reads each
    // priority level through an index of its own (015); SQLite's claim chooses its indexes by name.
    const postgresOnly = new Set(['jobs_level_due']);
    expect(indexes.filter((i) => !postgresOnly.has(i.i)).map((i) => describeIndex(i.t, i.i, i.def))).toEqual(sqliteIndexes);
    expect(indexes.map((i) => i.i).filter((name) => postgresOnly.has(name))).toEqual([...postgresOnly]);
    sqlite.close();
  });
});
