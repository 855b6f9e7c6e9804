// The job statistics' contract, for every engine: the queue figures /metrics publishes (backlog, running, recent
// failures, how late the most overdue job is).
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { JobStatsReader } from '../../src/store/job-stats.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0, seedJob } from './seed-rows.js';

export type JobStatsPort = AsyncStore<JobStatsReader>;

const HOUR = 3_600_000;

export function describeJobStatsContract(engine: string, makeStore: (options: { failedWindowMs?: number }) => Awaitable<StoreFixture<JobStatsPort>>): void {
  describe(`job stats contract: ${engine}`, () => {
    let fixture: StoreFixture<JobStatsPort> | undefined;
    afterEach(async () => { await fixture?.close(); });

    it('when the queue is empty, then every figure is 0, and the failure window defaults to 24 hours', async () => {
      fixture = await makeStore({});
      expect(await fixture.store.read(T0)).toEqual({ pending: 0, running: 0, failedRecently: 0, oldestOverdueMs: 0 });
      expect(fixture.store.failedWindowMs).toBe(24 * HOUR);
    });

    it('when jobs are in every state, then pending and running are counted, failures only inside the window, and the lateness is the earliest due pending job\'s', async () => {
      fixture = await makeStore({ failedWindowMs: 2 * HOUR });
      const { rows } = fixture;
      await seedJob(rows, { kind: 'textback', status: 'pending', runAt: T0 - 5_000 });
      await seedJob(rows, { kind: 'followup', status: 'pending', runAt: T0 + HOUR });
      await seedJob(rows, { kind: 'textback', status: 'running', runAt: T0 - 60_000 });
      await seedJob(rows, { kind: 'textback', status: 'failed', runAt: T0 - HOUR, finishedAt: T0 - HOUR });
      await seedJob(rows, { kind: 'textback', status: 'failed', runAt: T0 - 3 * HOUR, finishedAt: T0 - 3 * HOUR });
      await seedJob(rows, { kind: 'textback', status: 'done', runAt: T0 - HOUR, finishedAt: T0 - HOUR });
      await seedJob(rows, { kind: 'followup', status: 'cancelled', runAt: T0 - HOUR, finishedAt: T0 - HOUR });
      expect(await fixture.store.read(T0)).toEqual({ pending: 2, running: 1, failedRecently: 1, oldestOverdueMs: 5_000 });
      expect(fixture.store.failedWindowMs).toBe(2 * HOUR);
    });

    it('when every pending job is due later, then nothing is late', async () => {
      fixture = await makeStore({});
      await seedJob(fixture.rows, { kind: 'followup', status: 'pending', runAt: T0 + 1 });
      expect(await fixture.store.read(T0)).toMatchObject({ pending: 1, oldestOverdueMs: 0 });
    });
  });
}
