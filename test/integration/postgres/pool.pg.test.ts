// The PostgreSQL pool as the app opens it: its session settings, 64-bit integers as numbers, transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction, type Postgres } from '../../../src/store/postgres/pool.js';
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
});
