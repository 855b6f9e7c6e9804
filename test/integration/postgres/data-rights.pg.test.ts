// The data rights contract (test/contracts/data-rights-contract.ts) on PostgreSQL, the database emptied per test.
import { describe } from 'vitest';
import { createPostgresDataRights } from '../../../src/store/postgres/data-rights.js';
import { describeDataRightsContract } from '../../contracts/data-rights-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL data rights', () => {
  const engine = usePostgresEngine();
  describeDataRightsContract('PostgreSQL', async (options) => {
    const { pg, rows } = await engine.fresh();
    // TRUNCATE does not fire row triggers: a refusal left by an earlier test is dropped here.
    await pg.pool.query('DROP FUNCTION IF EXISTS refuse_deletes() CASCADE');
    return {
      store: createPostgresDataRights(pg, options), rows, close() {},
      async refuseDeletesFrom(table) {
        await pg.pool.query(`CREATE FUNCTION refuse_deletes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'deletes refused'; END $$`);
        await pg.pool.query(`CREATE TRIGGER refuse_deletes BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_deletes()`);
      },
    };
  });
});
