// The inbox store contract (test/contracts/webhook-inbox-contract.ts) on PostgreSQL, plus several instances committing
// overlapping batches of the same events at once: each event stored exactly once, no batch lost to a deadlock.
import { describe, expect, it } from 'vitest';
import { priorityOf } from '../../../src/jobs/registry.js';
import type { InboxItem } from '../../../src/scheduler/queue-port.js';
import { createPostgresProviderReceipts } from '../../../src/store/postgres/provider-receipts.js';
import { createPostgresWebhookInbox } from '../../../src/store/postgres/webhook-inbox.js';
import { createPostgresWebhookReceipts } from '../../../src/store/postgres/webhook-receipts.js';
import type { Postgres } from '../../../src/store/postgres/pool.js';
import { describeWebhookInboxContract } from '../../contracts/webhook-inbox-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL webhook inbox', () => {
  const engine = usePostgresEngine();
  describeWebhookInboxContract('PostgreSQL', async (kind) => {
    const { pg, rows } = await engine.fresh();
    const receipts = kind === 'webhook' ? createPostgresWebhookReceipts(pg) : createPostgresProviderReceipts(pg);
    return { store: createPostgresWebhookInbox(pg, { receipts, priorityOf }), rows, close() {} };
  });

  it('when three instances commit overlapping batches of the same events in different orders, then each event is stored once', async () => {
    const { rows } = await engine.fresh();
    const inboxOn = (pg: Postgres) => createPostgresWebhookInbox(pg, { receipts: createPostgresWebhookReceipts(pg), priorityOf });
    const pools = [engine.pg(), engine.open(), engine.open()];
    // Connections opened beforehand, so the batches really overlap instead of queueing behind connects.
    await Promise.all(pools.flatMap((pg) => Array.from({ length: 4 }, () => pg.pool.query('SELECT pg_sleep(0.02)'))));
    const instances = pools.map(inboxOn);
    const EVENTS = 1_500;
    const events = Array.from({ length: EVENTS }, (_, i): InboxItem => ({
      job: { kind: 'highlevel-event', payload: { i }, runAt: 0, locationId: `loc-${i % 7}`, subject: `caller-${i}`, dedupeKey: `event:${i}` },
      receiptKey: `wh-${i}`,
    }));
    const batches = Array.from({ length: 12 }, (_, b) => {
      const slice = events.filter((_, i) => (i + b) % 3 !== 0);
      return b % 2 === 0 ? slice : [...slice].reverse();
    });
    const results = await Promise.all(batches.map((batch, b) => instances[b % instances.length].store(batch, 1)));
    const storedTimes = new Map<number, number>();
    batches.forEach((batch, b) => batch.forEach((event, k) => {
      if (results[b][k] === 'stored') storedTimes.set((event.job.payload as { i: number }).i, (storedTimes.get((event.job.payload as { i: number }).i) ?? 0) + 1);
    }));
    expect([...storedTimes.keys()].sort((x, y) => x - y)).toEqual(events.map((_, i) => i));
    expect([...storedTimes.values()].every((n) => n === 1)).toBe(true);
    expect(await rows.all<{ n: number }>('SELECT COUNT(*)::int AS n FROM jobs')).toEqual([{ n: EVENTS }]);
  });
});
