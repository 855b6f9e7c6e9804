// The scheduler's lookup: `claimDue` on the real job queue over 1M pending follow-ups (due over the next 7 days),
// against the same lookup on an empty queue as the baseline; `nextDueAt` likewise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from '../support/children.js';
import { percentile } from '../support/load.js';

const { openDatabase } = await import(join(DIST, 'store', 'db.js'));
const { createJobQueue } = await import(join(DIST, 'store', 'job-queue.js'));

/** Claims `batch` due jobs `rounds` times (each round first makes `batch` jobs due); returns sorted µs per claimDue. */
function measureClaims(queue, { rounds, batch }) {
  const micros = [];
  const nextDue = [];
  for (let round = 0; round < rounds; round += 1) {
    const now = Date.now();
    for (let i = 0; i < batch; i += 1) {
      queue.enqueue({ kind: 'followup', payload: { callId: round * batch + i, textBackSentAt: now }, runAt: now - 1_000 + i, locationId: `loc-${i}`, subject: `+4479110${String(round * batch + i).padStart(5, '0')}`, dedupeKey: `followup:due:${round}:${i}` }, now);
    }
    let at = performance.now();
    const claimed = queue.claimDue(Date.now(), batch, 5 * 60_000);
    micros.push((performance.now() - at) * 1000);
    if (claimed.length !== batch) throw new Error(`claimDue returned ${claimed.length} of ${batch} due jobs`);
    at = performance.now();
    queue.nextDueAt();
    nextDue.push((performance.now() - at) * 1000);
    for (const job of claimed) queue.complete(job.id, Date.now());
  }
  return { claim: micros.sort((a, b) => a - b), nextDue: nextDue.sort((a, b) => a - b) };
}

function pendingFollowUps(db, count) {
  const now = Date.now();
  db.prepare(`
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < @count)
    INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at)
    SELECT 'followup', 'loc-' || (i % 1000), '+447400' || printf('%06d', i % 1000000), 'followup:future:' || i,
      '{"callId":' || i || ',"textBackSentAt":' || @now || '}', 'pending', @now + 60000 + (i * 604.8) % (7 * 86400000), 8, @now
    FROM seq`).run({ count, now });
}

export async function runScheduler({ report, pending = 1_000_000, rounds = 300, batch = 8 }) {
  const dir = mkdtempSync(join(tmpdir(), 'textback-bench-scheduler-'));
  try {
    const empty = openDatabase(join(dir, 'empty.sqlite'));
    const baseline = measureClaims(createJobQueue(empty), { rounds, batch });
    empty.close();

    const full = openDatabase(join(dir, 'full.sqlite'));
    const loadedAt = Date.now();
    pendingFollowUps(full, pending);
    const queue = createJobQueue(full);
    report('pending follow-ups in the queue', queue.counts().pending);
    report('seeding them took (s)', ((Date.now() - loadedAt) / 1000).toFixed(1));
    const loaded = measureClaims(queue, { rounds, batch });
    full.close();

    report(`claimDue of ${batch} due among 1M pending p50 (ms)`, (percentile(loaded.claim, 0.5) / 1000).toFixed(3));
    report(`claimDue of ${batch} due among 1M pending p99 (ms)`, (percentile(loaded.claim, 0.99) / 1000).toFixed(3));
    report(`claimDue p50/p99, empty queue baseline (ms)`, `${(percentile(baseline.claim, 0.5) / 1000).toFixed(3)} / ${(percentile(baseline.claim, 0.99) / 1000).toFixed(3)}`);
    report('claimDue ratio (1M pending / empty, p50)', (percentile(loaded.claim, 0.5) / percentile(baseline.claim, 0.5)).toFixed(2));
    report('nextDueAt among 1M pending p50 (ms)', (percentile(loaded.nextDue, 0.5) / 1000).toFixed(3));
    report('nextDueAt ratio (1M pending / empty, p50)', (percentile(loaded.nextDue, 0.5) / percentile(baseline.nextDue, 0.5)).toFixed(2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
