// What one claim reads on PostgreSQL (migration 15): each priority level's look walks that level's due jobs in claim
// order and stops after the lookahead, so a backlog elsewhere in the queue, or a crowd of jobs due at the same
// moment, does not make every claim read it. Measured as the shared buffers the claim function touches (EXPLAIN's
// count includes everything the function reads), in a transaction rolled back, so each look sees the same queue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewJob } from '../../../src/scheduler/queue-port.js';
import { LOOKAHEAD } from '../../../src/store/postgres/job-claim.js';
import { enqueueJobs } from '../../../src/store/postgres/job-enqueue.js';
import type { Postgres } from '../../../src/store/postgres/pool.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';

const NOW = Date.UTC(2026, 0, 5, 15, 0, 0);
const LEASE_UNTIL = NOW + 300_000;
const EVENTS = 10;
const FOLLOW_UPS = 30;

describe.runIf(hasPostgres)('a claim on PostgreSQL', () => {
  let database: TestDatabase;
  let pg: Postgres;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: true });
    pg = database.open({ max: 2 });
  });
  afterAll(async () => { await pg?.close(); await database?.drop(); });
  beforeEach(async () => { await pg.pool.query('TRUNCATE jobs RESTART IDENTITY'); });

  /** `count` jobs at `priority`, all due at the same moment (one intake commit stores its batch with one time). */
  async function enqueue(from: number, count: number, priority: number, runAt: number): Promise<void> {
    const jobs: NewJob[] = Array.from({ length: count }, (_, i) => ({
      kind: priority === EVENTS ? 'highlevel-event' : 'followup', payload: { i: from + i }, runAt, priority,
      locationId: `loc-${(from + i) % 10}`, subject: `contact-${from + i}`, dedupeKey: `job-${priority}-${from + i}`,
    }));
    for (let i = 0; i < jobs.length; i += 2_000) await enqueueJobs(pg.pool, jobs.slice(i, i + 2_000), NOW, () => priority);
    await pg.pool.query('ANALYZE jobs');
  }

  /** The shared buffers one claim of 8 reads, on a connection that has claimed before (its plan and caches made). */
  async function buffersOfOneClaim(): Promise<{ buffers: number; claimed: number }> {
    const client = await pg.pool.connect();
    try {
      const explain = async () => {
        await client.query('BEGIN');
        try {
          const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Actual Rows': number; 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }>(
            `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM textback_claim_jobs($1, 8, $2, $3, false, 16)`, [NOW, LEASE_UNTIL, LOOKAHEAD]);
          const plan = rows[0]['QUERY PLAN'][0].Plan;
          return { buffers: plan['Shared Hit Blocks'] + plan['Shared Read Blocks'], claimed: plan['Actual Rows'] };
        } finally {
          await client.query('ROLLBACK');
        }
      };
      await explain();
      return await explain();
    } finally {
      client.release();
    }
  }

  it('when a level holds thirty times more due jobs, all due at one moment, or another level fifty times more jobs not due yet, then a claim reads no more than before', async () => {
    // Follow-ups waiting for hours (a level with nothing due) beside a backlog of events due now.
    await enqueue(0, 2_000, FOLLOW_UPS, NOW + 3_600_000);
    await enqueue(0, 1_000, EVENTS, NOW - 1_000);
    const small = await buffersOfOneClaim();
    await enqueue(1_000, 29_000, EVENTS, NOW - 1_000);
    const crowded = await buffersOfOneClaim();
    await enqueue(2_000, 98_000, FOLLOW_UPS, NOW + 3_600_000);
    const waiting = await buffersOfOneClaim();

    expect([small.claimed, crowded.claimed, waiting.claimed]).toEqual([8, 8, 8]);
    // Measured: 571, 654 and 667 buffers. With migration 13's claim, which read every due event of the level to order
    // them by id (a bitmap scan here; the due-time index filtered by priority in the benchmark's larger queue): 609
    // and 1,266 for the first two. With a first try of 15 that bounded each look by a row comparison, which
    // PostgreSQL 15 stops on by its first column only: 581, 664 and 1,160.
    expect(crowded.buffers).toBeLessThan(small.buffers * 1.5);
    expect(waiting.buffers).toBeLessThan(small.buffers * 1.5);
  });
});
