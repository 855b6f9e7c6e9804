// Webhook ingest on PostgreSQL: the real app (production config, Ed25519, DATABASE_URL, durable before 200) against
// the same bare verifying node:http server as the SQLite ingest, in interleaved rounds: first one instance, then two
// instances on the same database (each driven by its own autocannon, half the connections each: the load generator
// spreads over two target ports); then ack latency of one instance at half its maximum rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMs, freePort, productionEnv, startApp, startBare } from '../support/children.js';
import { maxThroughput, median, pacedRequests } from '../support/load.js';
import { createThrowawayDatabase, postgresUnavailable, sampleBackendCpu, waitForIdlePostgresQueue } from '../support/postgres.js';
import { createWebhookKeys, signedMissedCalls } from '../support/webhooks.js';

const WEBHOOK_PATH = '/webhooks/highlevel';

export async function runIngestPostgres({ report: reportFigure, seconds = 4, rounds = 3, cpuProfileDir }) {
  const report = (name, value) => reportFigure(`postgres: ${name}`, value);
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    report('skipped, no server at BENCH_DATABASE_URL, TEST_DATABASE_URL or 127.0.0.1:5432', unavailable);
    return null;
  }
  const keys = createWebhookKeys();
  // Distinct signed bodies, topped up between runs (never during one) so no webhookId repeats against the app.
  const pool = signedMissedCalls(30_000, keys.privateKey);
  const appCursor = { next: 0 };
  const bareCursor = { next: 0 };
  const topUp = (expected) => {
    const missing = appCursor.next + expected - pool.length;
    if (missing > 0) for (const item of signedMissedCalls(missing, keys.privateKey)) pool.push(item);
  };

  // The app's working directory: empty (no .env is read); the SQLite path in its environment is never opened.
  const dir = mkdtempSync(join(tmpdir(), 'textback-bench-ingest-pg-'));
  const database = await createThrowawayDatabase('ingest');
  const bare = await startBare({ verify: true, publicKeyPem: keys.publicKeyPem });
  const apps = [];
  const startInstance = async () => {
    const port = await freePort();
    const env = productionEnv({ port, databasePath: join(dir, 'unused.sqlite'), databaseUrl: database.url, webhookKeyPem: keys.publicKeyPem, apiUrl: 'http://127.0.0.1:9' });
    const app = await startApp({ cwd: dir, cpuProfileDir, env });
    apps.push(app);
    return app;
  };
  try {
    const bareRun = () => maxThroughput({ url: bare.url + WEBHOOK_PATH, pool, cursor: bareCursor, durationSeconds: seconds });
    /** Flat out against every instance at once, the 64 connections split between them; req/s summed. */
    const appRun = async (targets, durationSeconds = seconds) => {
      topUp(Math.ceil(4_000 * durationSeconds * 1.5));
      const runs = await Promise.all(targets.map((app) => maxThroughput({
        url: app.url + WEBHOOK_PATH, pool, cursor: appCursor, durationSeconds, connections: Math.floor(64 / targets.length),
      })));
      return { rps: runs.reduce((sum, run) => sum + run.rps, 0), total: runs.reduce((sum, run) => sum + run.total, 0), failures: runs.reduce((sum, run) => sum + run.non2xx + run.errors, 0) };
    };
    const interleaved = async (targets, cpu) => {
      const bareRuns = [];
      const appRuns = [];
      for (let round = 0; round < rounds; round += 1) {
        // Alternate the order so a drift in the machine's load hits both sides alike.
        for (const side of round % 2 === 0 ? ['bare', 'app'] : ['app', 'bare']) {
          if (side === 'bare') bareRuns.push(await bareRun());
          else appRuns.push(await cpu(() => appRun(targets)));
        }
      }
      const ratios = appRuns.map((run, i) => run.rps / bareRuns[i].rps);
      return { ratios, appRps: median(appRuns.map((run) => run.rps)), bareRps: median(bareRuns.map((run) => run.rps)), failures: appRuns.reduce((sum, run) => sum + run.failures, 0) };
    };

    // One instance. CPU of the app and of the server's backends over its flat-out runs, per acknowledged webhook.
    const one = await startInstance();
    await maxThroughput({ url: bare.url + WEBHOOK_PATH, pool, cursor: bareCursor, durationSeconds: 2 });
    await appRun([one], 2);
    const spent = { app: 0, backends: 0, webhooks: 0 };
    const measured = async (work) => {
      const appBefore = cpuMs(one.pid);
      const backends = sampleBackendCpu(database.admin, database.name);
      const run = await work();
      spent.app += cpuMs(one.pid) - appBefore;
      spent.backends += await backends.stop();
      spent.webhooks += run.total;
      return run;
    };
    const single = await interleaved([one], measured);
    report('bare node:http + Ed25519 verify (req/s)', single.bareRps.toFixed(0));
    report('app signed webhook ingest, one instance (req/s)', single.appRps.toFixed(0));
    report('app ingest non-2xx or errors, one instance', single.failures);
    report('ingest rounds, one instance (app/bare each)', single.ratios.map((r) => r.toFixed(2)).join(' '));
    report('ingest ratio, one instance', median(single.ratios).toFixed(2));
    report('CPU per acknowledged webhook at max rate, one instance (the worker falls behind: backlog below): app / PostgreSQL backends (ms)', `${(spent.app / spent.webhooks).toFixed(2)} / ${(spent.backends / spent.webhooks).toFixed(2)}`);

    let drainStartedAt = Date.now();
    let drained = await waitForIdlePostgresQueue(database.url);
    report('backlog after max-rate rounds worked off in (s)', drained ? ((Date.now() - drainStartedAt) / 1000).toFixed(1) : 'not within 120 s');

    // Ack latency of the one instance at half its measured maximum (open loop), bare verify at the same rate.
    const rate = Math.max(100, Math.round(single.appRps / 2));
    topUp(rate * seconds + 100);
    const bodyAt = (cursor) => () => {
      const item = pool[cursor.next++ % pool.length];
      return { path: WEBHOOK_PATH, body: item.body, headers: { 'content-type': 'application/json', 'x-ghl-signature': item.signature } };
    };
    const appLatency = await pacedRequests({ url: one.url, rate, durationSeconds: seconds, next: bodyAt(appCursor) });
    const bareLatency = await pacedRequests({ url: bare.url, rate, durationSeconds: seconds, next: bodyAt(bareCursor) });
    report('ack latency rate, one instance (req/s, half of max)', rate);
    report('webhook ack latency p50 / p99, one instance (ms)', `${appLatency.p50.toFixed(2)} / ${appLatency.p99.toFixed(2)}`);
    report('bare verify latency p50 / p99 at the same rate (ms)', `${bareLatency.p50.toFixed(2)} / ${bareLatency.p99.toFixed(2)}`);
    await waitForIdlePostgresQueue(database.url);

    // Two instances on the same database: a second process joins; its worker shares the queue with the first.
    const two = await startInstance();
    await appRun([one, two], 2);
    await waitForIdlePostgresQueue(database.url);
    const pair = await interleaved([one, two], (work) => work());
    report('bare node:http + Ed25519 verify, two-instance rounds (req/s)', pair.bareRps.toFixed(0));
    report('app signed webhook ingest, two instances together (req/s)', pair.appRps.toFixed(0));
    report('app ingest non-2xx or errors, two instances', pair.failures);
    report('ingest rounds, two instances (app/bare each)', pair.ratios.map((r) => r.toFixed(2)).join(' '));
    report('ingest ratio, two instances', median(pair.ratios).toFixed(2));
    drainStartedAt = Date.now();
    drained = await waitForIdlePostgresQueue(database.url);
    report('backlog after two-instance rounds worked off in (s)', drained ? ((Date.now() - drainStartedAt) / 1000).toFixed(1) : 'not within 120 s');
    report('reused bodies against the app (should be 0)', Math.max(0, appCursor.next - pool.length));
    return { ratio: median(single.ratios), ratioTwo: median(pair.ratios) };
  } finally {
    await Promise.all([bare.stop(), ...apps.map((app) => app.stop())]);
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
