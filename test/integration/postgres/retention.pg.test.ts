// The retention contract (test/contracts/retention-contract.ts) on PostgreSQL, and a purge meeting a re-install: the
// INSTALL that commits first wins, and the location's rows stay.
import { describe, expect, it } from 'vitest';
import { createPostgresRetention } from '../../../src/store/postgres/retention.js';
import { describeRetentionContract } from '../../contracts/retention-contract.js';
import { T0, seedCall, seedLocation } from '../../contracts/seed-rows.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

const DAY = 86_400_000;
const POLICY = { retentionMonths: 12, uninstallPurgeDays: 90, finishedJobsKeepDays: 7 };

describe.runIf(hasPostgres)('PostgreSQL retention', () => {
  const engine = usePostgresEngine();
  describeRetentionContract('PostgreSQL', async ({ batchSize }) => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresRetention(pg, { batchSize }), rows, close() {} };
  });

  it('when a due location is re-installed while its purge waits on the row, then the purge stops and the location keeps its rows', async () => {
    const { pg, rows } = await engine.fresh();
    await seedLocation(rows, 'loc-back', { status: 'uninstalled', uninstalledAt: T0 - 91 * DAY });
    for (let i = 0; i < 5; i += 1) await seedCall(rows, { locationId: 'loc-back', callKey: `c-${i}`, phone: '+12125550147', at: T0 - 95 * DAY });
    // Another instance's INSTALL holds the location's row when the purge reaches it.
    const install = await engine.open().pool.connect();
    try {
      await install.query('BEGIN');
      await install.query(`UPDATE locations SET status = 'installed', uninstalled_at = NULL WHERE location_id = 'loc-back'`);
      const run = createPostgresRetention(pg, { batchSize: 2 }).run(POLICY, T0);
      await waitForLockWait(pg.pool);
      await install.query('COMMIT');
      const report = await run;
      expect(report.purged.locations).toEqual([]);
    } finally {
      install.release();
    }
    expect(await rows.all(`SELECT COUNT(*) AS n FROM calls WHERE location_id = 'loc-back'`)).toEqual([{ n: 5 }]);
    expect(await rows.all(`SELECT status FROM locations WHERE location_id = 'loc-back'`)).toEqual([{ status: 'installed' }]);
  });
});

/** Resolves once some session of this database waits for a row lock (the purge's FOR UPDATE). */
async function waitForLockWait(pool: { query(text: string): Promise<{ rows: { n: number }[] }> }): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const { rows } = await pool.query(`SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the purge never waited for the location row');
}
