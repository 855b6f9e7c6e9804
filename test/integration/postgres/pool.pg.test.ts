// The PostgreSQL pool as the app opens it: its session settings, 64-bit integers as numbers, transactions.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgres, transaction, type Postgres } from '../../../src/store/postgres/pool.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';

describe.runIf(hasPostgres)('PostgreSQL pool', () => {
  let database: TestDatabase;
  let pg: Postgres;
  beforeAll(async () => {
    database = await createTestDatabase();
    pg = database.open({ max: 2, statementTimeoutMs: 1_234 });
  });
  afterAll(async () => { await database?.drop(); });

  it('when a connection is opened, then it names the app, carries the statement timeout and runs without JIT', async () => {
    const { rows } = await pg.pool.query(`
      SELECT current_setting('application_name') AS name, current_setting('statement_timeout') AS timeout, current_setting('jit') AS jit`);
    expect(rows[0]).toEqual({ name: 'textback', timeout: '1234ms', jit: 'off' });
  });

  it('when a statement runs past the timeout, then the server cancels it', async () => {
    const impatient = database.open({ max: 1, statementTimeoutMs: 50 });
    await expect(impatient.pool.query('SELECT pg_sleep(5)')).rejects.toThrow(/statement timeout/);
  });

  it('when pooled connections sit idle past the driver\'s idle timeout, then they stay open, warm for the next burst', async () => {
    // The driver closes a connection idle for 10 s unless the pool keeps a minimum: its timers are faked here.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const kept = database.open({ max: 2 });
    try {
      await Promise.all([kept.pool.query('SELECT pg_sleep(0.05)'), kept.pool.query('SELECT pg_sleep(0.05)')]);
      expect(kept.pool.totalCount).toBe(2);
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      expect([kept.pool.totalCount, kept.pool.idleCount]).toEqual([2, 2]);
    } finally {
      vi.useRealTimers();
      await kept.close();
    }
  });

  it('when BIGINT values are read, then they arrive as numbers (epoch ms, ids, counts)', async () => {
    const { rows } = await pg.pool.query(`SELECT 1767625200000::bigint AS at, COUNT(*) AS n FROM generate_series(1, 3)`);
    expect(rows[0]).toEqual({ at: 1767625200000, n: 3 });
  });

  it('when a transaction\'s work throws, then nothing it wrote stays and the connection goes back usable', async () => {
    await pg.pool.query('CREATE TABLE IF NOT EXISTS t (x INTEGER)');
    await expect(transaction(pg.pool, async (client) => {
      await client.query('INSERT INTO t VALUES (1)');
      throw new Error('no');
    })).rejects.toThrow('no');
    await transaction(pg.pool, (client) => client.query('INSERT INTO t VALUES (2)'));
    const { rows } = await pg.pool.query('SELECT x FROM t');
    expect(rows).toEqual([{ x: 2 }]);
  });

  it('when a parameterised statement runs again on a connection, then it was prepared once by name; without values it is not', async () => {
    const single = database.open({ max: 1 });
    const named = async () => (await single.pool.query<{ statement: string }>(
      `SELECT statement FROM pg_prepared_statements WHERE starts_with(name, 'textback_') AND statement LIKE '%prepared_probe%' ORDER BY statement`)).rows;
    for (let i = 0; i < 3; i++) await single.pool.query('SELECT $1::int AS prepared_probe', [i]);
    await single.pool.query('SELECT 1 AS unprepared_probe');
    expect(await named()).toEqual([{ statement: 'SELECT $1::int AS prepared_probe' }]);
    // Turned off, or behind a pooler in transaction mode (DATABASE_URL's pool_mode), nothing is prepared.
    for (const plain of [database.open({ max: 1, prepareStatements: false }), openPostgres(`${database.url}?pool_mode=transaction`, { max: 1 })]) {
      await plain.pool.query('SELECT $1::int AS prepared_probe', [1]);
      await plain.pool.query('SELECT $1::int AS prepared_probe', [2]);
      const { rows } = await plain.pool.query(`SELECT COUNT(*) AS n FROM pg_prepared_statements`);
      expect(rows[0].n).toBe(0);
      if (plain.poolMode === 'transaction') await plain.close();
    }
  });

  it('when a migration adds a column under a prepared SELECT *, then the statement still answers, with the new column', async () => {
    const single = database.open({ max: 1 });
    await single.pool.query('CREATE TABLE widened (id INTEGER)');
    await single.pool.query('INSERT INTO widened VALUES (1)');
    expect((await single.pool.query('SELECT * FROM widened WHERE id = $1', [1])).rows).toEqual([{ id: 1 }]);
    // Another instance's rolling deploy: the prepared plan's result type no longer matches.
    await pg.pool.query(`ALTER TABLE widened ADD COLUMN note TEXT DEFAULT 'new'`);
    expect((await single.pool.query('SELECT * FROM widened WHERE id = $1', [1])).rows).toEqual([{ id: 1, note: 'new' }]);
    expect((await single.pool.query('SELECT * FROM widened WHERE id = $1', [1])).rows).toEqual([{ id: 1, note: 'new' }]);
  });
});
