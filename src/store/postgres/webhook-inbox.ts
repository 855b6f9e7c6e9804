// The inbox's store on PostgreSQL (the InboxStore of src/scheduler/queue-port.ts): a batch of incoming events, each a
// receipt and a job, committed by ONE statement (group commit, one round trip whatever the batch's size).
import { payloadText, type InboxItem, type InboxResult, type InboxStore } from '../../scheduler/queue-port.js';
import { COLUMNS } from './job-enqueue.js';
import { DEADLOCK_DETECTED, sqlStateOf } from './error-codes.js';
import { JOBS_CHANNEL } from './job-wakeups.js';
import type { Postgres } from './pool.js';
import type { ReceiptLog, ReceiptTable } from './receipt-keys.js';

export interface PostgresInboxDeps {
  /** Where event ids are remembered: the webhook receipts or the provider receipts (postgres/*-receipts.ts). */
  receipts: Pick<ReceiptLog, 'table'>;
  /** Each kind's priority (the job registry's), for jobs enqueued without one; as given to the job queue. */
  priorityOf: (kind: string) => number;
}

/** A batch PostgreSQL aborted to break a lock cycle stored nothing, so it is simply run again, this many times at most. */
const ATTEMPTS = 3;

/**
 * Receipts first, in key order (two batches with overlapping keys lock them in the same order: one waits for the
 * other, then sees its keys as seen, instead of deadlocking); then the job of each item whose receipt is new (or that
 * has none), the first of the batch for a repeated receipt or job key; a job whose key is stored already is not.
 * Answers the ordinal of every item whose job was stored, and queues a NOTIFY (sent at commit) when one is due.
 * Data-modifying CTEs run once and to completion, and all of it commits or none of it does.
 */
const storeBatch = (receipts: ReceiptTable) => /* sql */ `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[], $9::int[])
    WITH ORDINALITY AS i (receipt_key, kind, location_id, subject, dedupe_key, payload, run_at, max_attempts, priority, ord)
),
remembered AS (
  INSERT INTO ${receipts.table} (${receipts.key}, received_at)
  SELECT DISTINCT receipt_key, $10::bigint FROM input WHERE receipt_key IS NOT NULL ORDER BY 1
  ON CONFLICT DO NOTHING
  RETURNING ${receipts.key} AS key
),
candidates AS (
  SELECT i.* FROM input i
  WHERE i.receipt_key IS NULL
     OR (i.receipt_key IN (SELECT key FROM remembered)
         AND i.ord = (SELECT MIN(f.ord) FROM input f WHERE f.receipt_key = i.receipt_key))
),
lone AS (
  SELECT * FROM candidates WHERE dedupe_key IS NULL
  UNION ALL
  SELECT * FROM (SELECT DISTINCT ON (dedupe_key) * FROM candidates WHERE dedupe_key IS NOT NULL ORDER BY dedupe_key, ord) keyed
),
stored AS (
  INSERT INTO jobs (${COLUMNS})
  SELECT kind, location_id, subject, dedupe_key, payload, 'pending', run_at, max_attempts, $10, priority, run_at
  FROM lone ORDER BY ord
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING dedupe_key, run_at
)
SELECT l.ord, (SELECT pg_notify('${JOBS_CHANNEL}', '') FROM stored WHERE run_at <= $10 LIMIT 1) IS NULL AS woken
FROM lone l
WHERE l.dedupe_key IS NULL OR l.dedupe_key IN (SELECT dedupe_key FROM stored)`;

export function createPostgresWebhookInbox(pg: Pick<Postgres, 'pool'>, deps: PostgresInboxDeps): InboxStore {
  // The receipts and the jobs commit together: a redelivery finds the receipt even after the job was pruned, and a
  // failed commit leaves neither, so the sender's next try is stored. Across instances the receipts' primary key
  // decides: a redelivery landing on another instance mid-commit waits for this commit, then finds the receipt.
  const statement = storeBatch(deps.receipts.table);
  const commit = async (items: readonly InboxItem[], now: number): Promise<InboxResult[]> => {
    if (items.some((item) => item.job.revive)) throw new Error('an inbox job is never revived: enqueue recurring jobs on the queue');
    const column = <T>(pick: (item: InboxItem) => T) => items.map(pick);
    const { rows } = await pg.pool.query<{ ord: number }>(statement, [
      column((item) => item.receiptKey),
      column((item) => item.job.kind),
      column((item) => item.job.locationId ?? null),
      column((item) => item.job.subject ?? null),
      column((item) => item.job.dedupeKey ?? null),
      column((item) => payloadText(item.job)),
      column((item) => Math.round(item.job.runAt)),
      column((item) => item.job.maxAttempts ?? 8),
      column((item) => item.job.priority ?? deps.priorityOf(item.job.kind)),
      now,
    ]);
    const stored = new Set(rows.map((row) => Number(row.ord)));
    return items.map((_, i): InboxResult => (stored.has(i + 1) ? 'stored' : 'duplicate'));
  };

  return {
    async store(items, now) {
      if (items.length === 0) return [];
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await commit(items, now);
        } catch (error) {
          if (attempt >= ATTEMPTS || sqlStateOf(error) !== DEADLOCK_DETECTED) throw error;
        }
      }
    },
  };
}
