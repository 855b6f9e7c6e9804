// The PostgreSQL queue's claim when it loses a race on a caller's line (migration 16): the statement is made again
// with a fresh snapshot, a bounded number of times; any other failure is not retried. The race itself is replayed on
// a real PostgreSQL in test/integration/postgres/job-queue-instances.pg.test.ts.
import { describe, expect, it } from 'vitest';
import { createPostgresJobQueue } from '../../src/store/postgres/job-queue.js';
import type { Postgres } from '../../src/store/postgres/pool.js';

const claimedRow = { id: 7, kind: 'textback', location_id: 'loc-1', subject: '+15125550134', dedupe_key: null, payload: '{}', status: 'running',
  run_at: 1, attempts: 1, max_attempts: 5, lease_until: 99, last_error: null, created_at: 1, finished_at: null, priority: 0, queued_at: 1,
  ord: 1, crowded: 0, elsewhere: 0 };
const failure = (code: string) => Object.assign(new Error(`postgres ${code}`), { code });

/** A pool whose claims fail with the given errors, in order, then claim one job. */
function poolFailing(errors: Error[]) {
  let claims = 0;
  const pool = {
    query: async (text: string) => {
      if (!text.includes('textback_claim_jobs')) throw new Error(`unexpected statement: ${text}`);
      claims += 1;
      const error = errors.shift();
      if (error) throw error;
      return { rows: [claimedRow], rowCount: 1 };
    },
  };
  return { pg: { pool, newClient: () => { throw new Error('no LISTEN in this test'); } } as unknown as Pick<Postgres, 'pool' | 'newClient'>, claims: () => claims };
}

describe('PostgreSQL claim retries', () => {
  it('when a claim loses the race on a line (unique violation) or a deadlock, then it is made again and claims', async () => {
    const { pg, claims } = poolFailing([failure('23505'), failure('40P01')]);
    const queue = createPostgresJobQueue(pg, { listen: false });
    const jobs = await queue.claimDue(10, 8, 60_000);
    expect(jobs.map((job) => job.id)).toEqual([7]);
    expect(claims()).toBe(3);
  });

  it('when it loses three times in a row, then the third error reaches the worker (its next tick claims again)', async () => {
    const { pg, claims } = poolFailing([failure('23505'), failure('23505'), failure('23505')]);
    const queue = createPostgresJobQueue(pg, { listen: false });
    await expect(queue.claimDue(10, 8, 60_000)).rejects.toMatchObject({ code: '23505' });
    expect(claims()).toBe(3);
  });

  it('when a claim fails for any other reason, then it is not made again', async () => {
    const { pg, claims } = poolFailing([failure('57014')]);
    const queue = createPostgresJobQueue(pg, { listen: false });
    await expect(queue.claimDue(10, 8, 60_000)).rejects.toMatchObject({ code: '57014' });
    expect(claims()).toBe(1);
  });
});
