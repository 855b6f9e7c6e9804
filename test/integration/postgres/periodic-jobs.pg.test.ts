// Recurring jobs on several instances: two PostgreSQL storages scheduling their periodic jobs at the same moment
// (rolling deploy, two instances started together) leave exactly one pending job per recurring kind and one catch-up
// per location, whether the jobs are new, finished (revived), or running on the other instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulePeriodicJobs } from '../../../src/jobs/periodic.js';
import { CATCH_UP_JOB, RETENTION_JOB, TOKEN_KEEPALIVE_JOB } from '../../../src/jobs/kind-names.js';
import { inboundEventKinds, priorityOf } from '../../../src/jobs/registry.js';
import { createManualClock, MINUTE } from '../../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../../src/lib/crypto.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createWorkflowScheduler } from '../../../src/scheduler/workflow-scheduler.js';
import { openPostgresStorage, type OpenedPostgresStorage } from '../../../src/store/postgres/postgres-storage.js';
import type { Postgres } from '../../../src/store/postgres/pool.js';
import type { WorkflowDeps } from '../../../src/workflow/deps.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';

const T0 = Date.UTC(2026, 0, 6, 16, 0, 0);
const LOCATIONS = Array.from({ length: 40 }, (_, i) => `loc-${i}`);
const RECURRING = [RETENTION_JOB, TOKEN_KEEPALIVE_JOB];

describe.runIf(hasPostgres)('periodic jobs scheduled by two PostgreSQL instances at once', () => {
  let database: TestDatabase;
  let pg: Postgres;
  let instances: OpenedPostgresStorage[];
  const clock = createManualClock(T0);

  beforeAll(async () => {
    database = await createTestDatabase();
    pg = database.open({ max: 2 });
    const box = createSecretBox(generateKey());
    // Both start together on an empty database: they migrate it once between them, then schedule.
    instances = await Promise.all([1, 2].map(() => openPostgresStorage(database.url, box, { clock, appTwilioAccount: null, inboundEventKinds, priorityOf, listen: false, pool: { max: 4 } })));
  });
  afterAll(async () => {
    for (const instance of instances ?? []) await instance.close();
    await database?.drop();
  });

  /** What compose.ts's start() does on one instance: its periodic jobs and every installed location's catch-up. */
  function startUp(instance: OpenedPostgresStorage): Promise<void> {
    const { queue } = instance.storage;
    // The workflow as ensureCatchUp sees it: a call history to scan, the scheduler over this instance's queue.
    const workflow = { callHistory: {}, scheduler: createWorkflowScheduler(queue, clock), clock, log: silentLogger } as unknown as WorkflowDeps;
    return schedulePeriodicJobs({ queue, workflow, installedLocationIds: LOCATIONS, now: clock.now(), logger: silentLogger });
  }

  const bothStart = () => Promise.all(instances.map(startUp));

  async function jobsByStatus(): Promise<Map<string, number>> {
    const { rows } = await pg.pool.query<{ kind: string; location_id: string | null; status: string; n: number }>(`
      SELECT kind, location_id, status, COUNT(*)::int AS n FROM jobs GROUP BY kind, location_id, status`);
    return new Map(rows.map((row) => [`${row.kind}|${row.location_id ?? ''}|${row.status}`, row.n]));
  }

  /** Exactly one job of each recurring kind and one catch-up per location, in `status`; nothing else. */
  function expectOneEach(jobs: Map<string, number>, status: (key: string) => string = () => 'pending'): void {
    const expected = new Map<string, number>();
    for (const kind of RECURRING) expected.set(`${kind}||${status(kind)}`, 1);
    for (const location of LOCATIONS) expected.set(`${CATCH_UP_JOB}|${location}|${status(location)}`, 1);
    expect(Object.fromEntries(jobs)).toEqual(Object.fromEntries(expected));
  }

  it('when both schedule on a queue without them, then one job per recurring kind and one catch-up per location are pending, every time', async () => {
    for (let round = 0; round < 15; round += 1) {
      await pg.pool.query('TRUNCATE jobs RESTART IDENTITY');
      await bothStart();
      expectOneEach(await jobsByStatus());
    }
  });

  it('when the jobs had finished and both bring them back at once, then each comes back once', async () => {
    for (let round = 0; round < 15; round += 1) {
      await pg.pool.query('TRUNCATE jobs RESTART IDENTITY');
      await startUp(instances[0]);
      await pg.pool.query(`UPDATE jobs SET status = CASE WHEN id % 3 = 0 THEN 'failed' WHEN id % 3 = 1 THEN 'done' ELSE 'cancelled' END, finished_at = $1`, [clock.now()]);
      clock.advance(MINUTE);
      await bothStart();
      expectOneEach(await jobsByStatus());
    }
  });

  it('when one instance is running a recurring job as the other starts, then no second one is scheduled beside it', async () => {
    await pg.pool.query('TRUNCATE jobs RESTART IDENTITY');
    await startUp(instances[0]);
    const running = new Set([RETENTION_JOB, 'loc-7']);
    await pg.pool.query(`UPDATE jobs SET run_at = $1 WHERE kind = $2 OR location_id = $3`, [clock.now(), RETENTION_JOB, 'loc-7']);
    const claimed = await instances[0].storage.queue.claimDue(clock.now(), 10, 5 * MINUTE);
    expect(claimed.map((job) => job.locationId ?? job.kind).sort()).toEqual([...running].sort());
    await bothStart();
    expectOneEach(await jobsByStatus(), (key) => (running.has(key) ? 'running' : 'pending'));
  });
});
