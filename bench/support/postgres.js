// PostgreSQL for the benchmarks: a throwaway database per scenario (created, migrated, dropped), the queue watched
// from outside, and the CPU the server's backends spend for that database (they are part of what a call costs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { DIST } from './children.js';

const { openPostgres } = await import(join(DIST, 'store', 'postgres', 'pool.js'));
const { migratePostgres } = await import(join(DIST, 'store', 'postgres', 'migrate.js'));

export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** null when a server answers at SERVER_URL, else why not (the PostgreSQL scenarios then report a skip). */
export async function postgresUnavailable() {
  const probe = new pg.Client({ connectionString: SERVER_URL });
  try {
    await probe.connect();
    return null;
  } catch (error) {
    return error.message;
  } finally {
    await probe.end().catch(() => {});
  }
}

/**
 * Creates database `textback_bench_<label>_<pid>` on SERVER_URL and migrates it with the app's migrations;
 * `drop()` ends every connection to it and drops it. `admin` stays connected to the server's own database.
 */
export async function createThrowawayDatabase(label) {
  const name = `textback_bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { max: 4, statementTimeoutMs: 300_000 });
  try {
    await migratePostgres(db.pool);
  } finally {
    await db.close();
  }
  return {
    name,
    url: url.toString(),
    admin,
    /** A pool on this database with the app's settings (BIGINT as numbers). */
    open: (options = {}) => openPostgres(url.toString(), { max: 4, statementTimeoutMs: 300_000, ...options }),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end().catch(() => {});
    },
  };
}

/**
 * Runs `work(database)` on a throwaway database labelled `label`, dropped afterwards; with no server at SERVER_URL,
 * reports the skip instead (the PostgreSQL scenarios of `npm run bench` are skipped, not failed, without one).
 */
export async function onThrowawayDatabase(report, label, work) {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    report('postgres: skipped, no server at BENCH_DATABASE_URL, TEST_DATABASE_URL or 127.0.0.1:5432', unavailable);
    return;
  }
  const database = await createThrowawayDatabase(label);
  try {
    await work(database);
  } finally {
    await database.drop();
  }
}

/** Resolves once no job is due or running (true), or after `timeoutMs` (false). */
export async function waitForIdlePostgresQueue(url, { timeoutMs = 120_000, pollMs = 200 } = {}) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // Two index probes, not a count: polled every 100 ms, a count of a 20,000-job backlog cost the server about
      // 8 ms each time, taken from the app it is measuring.
      const { rows } = await client.query(`
        SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'running') OR EXISTS (SELECT 1 FROM jobs WHERE status = 'pending' AND run_at <= $1) AS busy`,
      [Date.now()]);
      if (!rows[0].busy) return true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return false;
  } finally {
    await client.end();
  }
}

function processCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * CPU (ms) the server's backends spend on database `name` from now until `stop()`: their pids are polled from
 * pg_stat_activity every `everyMs`; a backend alive at the start counts from its CPU then, one born later from 0, each
 * up to its last sample (a backend that ends between two polls loses at most `everyMs` of its CPU).
 * Needs the server on this machine (/proc). Not counted: WAL writer, checkpointer, autovacuum (shared work).
 */
export function sampleBackendCpu(admin, name, everyMs = 250) {
  const seen = new Map();
  let stopped = false;
  let initial = true;
  const poll = async () => {
    const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
    for (const { pid } of rows) {
      const now = processCpuMs(pid);
      if (now === null) continue;
      const entry = seen.get(pid);
      if (entry) entry.last = now;
      else seen.set(pid, { first: initial ? now : 0, last: now });
    }
    initial = false;
  };
  const started = poll();
  let timer;
  const loop = async () => {
    await poll().catch(() => {});
    if (!stopped) timer = setTimeout(loop, everyMs);
  };
  void started.then(() => { if (!stopped) timer = setTimeout(loop, everyMs); });
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await started;
      await poll().catch(() => {});
      let total = 0;
      for (const { first, last } of seen.values()) total += last - first;
      return total;
    },
  };
}
