// The scheduler's lookup on PostgreSQL: `claimDue` (one FOR UPDATE SKIP LOCKED statement) over 1M pending follow-ups
// due over the next 7 days, against the same claim on an empty queue; `nextDueAt` likewise. Runs in a database of its
// own on BENCH_DATABASE_URL (else TEST_DATABASE_URL, else the local server), dropped afterwards.
import { join } from 'node:path';
import pg from 'pg';
import { DIST } from '../support/children.js';
import { percentile } from '../support/load.js';

const { openPostgres } = await import(join(DIST, 'store', 'postgres', 'pool.js'));
const { migratePostgres } = await import(join(DIST, 'store', 'postgres', 'migrate.js'));
const { createPostgresJobQueue } = await import(join(DIST, 'store', 'postgres', 'job-queue.js'));

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Claims `batch` due jobs `rounds` times (each round first makes `batch` jobs due); returns sorted µs per call. */
async function measureClaims(queue, { rounds, batch }) {
  const claim = [];
  const nextDue = [];
  for (let round = 0; round < rounds; round += 1) {
    const now = Date.now();
    await queue.enqueueMany(Array.from({ length: batch }, (_, i) => ({
      kind: 'followup', payload: { callId: round * batch + i, textBackSentAt: now }, runAt: now - 1_000 + i, locationId: `loc-${i}`,
      subject: `+4479110${String(round * batch + i).padStart(5, '0')}`, dedupeKey: `followup:due:${round}:${i}`, priority: 20,
    })), now);
    let at = performance.now();
    const claimed = await queue.claimDue(Date.now(), batch, 5 * 60_000);
    claim.push((performance.now() - at) * 1000);
    if (claimed.length !== batch) throw new Error(`claimDue returned ${claimed.length} of ${batch} due jobs`);
    at = performance.now();
    await queue.nextDueAt();
    nextDue.push((performance.now() - at) * 1000);
    await Promise.all(claimed.map((job) => queue.complete(job.id, Date.now())));
  }
  return { claim: claim.sort((a, b) => a - b), nextDue: nextDue.sort((a, b) => a - b) };
}

/**
 * Seeds `count` pending follow-ups. The queue's own indexes (as the migrations made them) are dropped first and
 * built again afterwards: the same rows and indexes as inserting with them in place, in a quarter of the time.
 */
async function pendingFollowUps(pool, count) {
  const now = Date.now();
  const { rows: indexes } = await pool.query(`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.tablename = 'jobs' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`);
  for (const { indexname } of indexes) await pool.query(`DROP INDEX ${indexname}`);
  await pool.query(`
    INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at, priority, queued_at)
    SELECT 'followup', 'loc-' || (i % 1000), '+447400' || lpad((i % 1000000)::text, 6, '0'), 'followup:future:' || i,
      '{"callId":' || i || ',"textBackSentAt":' || $2::bigint || '}', 'pending', t.run_at, 8, $2::bigint, 20, t.run_at
    FROM generate_series(0, $1::int - 1) AS i, LATERAL (SELECT $2::bigint + 60000 + (i::bigint * 6048 / 10) % (7 * 86400000) AS run_at) t`,
  [count, now]);
  const client = await pool.connect();
  try {
    await client.query(`SET maintenance_work_mem = '256MB'`);
    for (const { indexdef } of indexes) await client.query(indexdef);
  } finally {
    client.release();
  }
  await pool.query('ANALYZE jobs');
}

async function withDatabase(name, work) {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { max: 4, statementTimeoutMs: 120_000 });
  try {
    await migratePostgres(db.pool);
    return await work(db);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function runSchedulerPostgres({ report, pending = 1_000_000, rounds = 300, batch = 8 }) {
  const probe = new pg.Client({ connectionString: SERVER_URL });
  try {
    await probe.connect();
  } catch (error) {
    report('postgres: skipped, no server at BENCH_DATABASE_URL, TEST_DATABASE_URL or 127.0.0.1:5432', error.message);
    return;
  } finally {
    await probe.end().catch(() => {});
  }
  const baseline = await withDatabase(`textback_bench_empty_${process.pid}`, async (db) => {
    const queue = createPostgresJobQueue(db, { listen: false });
    try { return await measureClaims(queue, { rounds, batch }); } finally { await queue.close(); }
  });
  const loaded = await withDatabase(`textback_bench_full_${process.pid}`, async (db) => {
    const queue = createPostgresJobQueue(db, { listen: false });
    try {
      const loadedAt = Date.now();
      await pendingFollowUps(db.pool, pending);
      report('postgres: pending follow-ups in the queue', (await queue.counts()).pending);
      report('postgres: seeding them took (s)', ((Date.now() - loadedAt) / 1000).toFixed(1));
      return await measureClaims(queue, { rounds, batch });
    } finally { await queue.close(); }
  });
  const ms = (sorted, p) => (percentile(sorted, p) / 1000).toFixed(3);
  report(`postgres: claimDue of ${batch} due among 1M pending p50 (ms)`, ms(loaded.claim, 0.5));
  report(`postgres: claimDue of ${batch} due among 1M pending p99 (ms)`, ms(loaded.claim, 0.99));
  report('postgres: claimDue p50/p99, empty queue baseline (ms)', `${ms(baseline.claim, 0.5)} / ${ms(baseline.claim, 0.99)}`);
  report('postgres: claimDue ratio (1M pending / empty, p50)', (percentile(loaded.claim, 0.5) / percentile(baseline.claim, 0.5)).toFixed(2));
  report('postgres: nextDueAt among 1M pending p50 (ms)', ms(loaded.nextDue, 0.5));
  report('postgres: nextDueAt ratio (1M pending / empty, p50)', (percentile(loaded.nextDue, 0.5) / percentile(baseline.nextDue, 0.5)).toFixed(2));
}
