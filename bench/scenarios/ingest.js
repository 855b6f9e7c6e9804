// Webhook ingest: the real app (production config, Ed25519, file SQLite, durable before 200) against a bare node:http
// server that verifies the same signature, in interleaved rounds; then ack latency at half the app's maximum rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMs, freePort, productionEnv, sampleRss, startApp, startBare } from '../support/children.js';
import { maxThroughput, median, pacedRequests } from '../support/load.js';
import { createWebhookKeys, signedMissedCalls } from '../support/webhooks.js';
import { waitForIdleQueue } from '../support/queue-watch.js';

const WEBHOOK_PATH = '/webhooks/highlevel';

/** Runs `measure` (a maxThroughput), adding the CPU the server `pid` and this process (the load generator) spent. */
async function counted(pid, measure) {
  const serverBefore = cpuMs(pid);
  const loadBefore = process.cpuUsage();
  const run = await measure();
  const load = process.cpuUsage(loadBefore);
  return { ...run, serverCpuMs: cpuMs(pid) - serverBefore, loadCpuMs: (load.user + load.system) / 1000 };
}

export async function runIngest({ report, seconds = 5, rounds = 3, cpuProfileDir }) {
  const dir = mkdtempSync(join(tmpdir(), 'textback-bench-ingest-'));
  const keys = createWebhookKeys();
  // Distinct signed bodies; topped up between runs (never during one) so no webhookId repeats against the app.
  const pool = signedMissedCalls(40_000, keys.privateKey);
  const topUp = (cursor, expected) => {
    const missing = cursor.next + expected - pool.length;
    if (missing > 0) for (const item of signedMissedCalls(missing, keys.privateKey)) pool.push(item);
  };
  report('webhook body size (bytes)', pool[0].body.length);

  const plain = await startBare({ verify: false });
  await maxThroughput({ url: plain.url + WEBHOOK_PATH, pool, durationSeconds: 1 });
  const bareNoVerify = await maxThroughput({ url: plain.url + WEBHOOK_PATH, pool, durationSeconds: seconds });
  await plain.stop();
  report('bare node:http, no verification (req/s)', bareNoVerify.rps.toFixed(0));
  // For reference, not the ratio's baseline: the bare server checking Ed25519 with the library the app uses.
  const sodiumBare = await startBare({ verify: 'libsodium', publicKeyPem: keys.publicKeyPem });
  await maxThroughput({ url: sodiumBare.url + WEBHOOK_PATH, pool, durationSeconds: 1 });
  const bareSodium = await maxThroughput({ url: sodiumBare.url + WEBHOOK_PATH, pool, durationSeconds: seconds });
  await sodiumBare.stop();

  const bare = await startBare({ verify: true, publicKeyPem: keys.publicKeyPem });
  const port = await freePort();
  const databasePath = join(dir, 'textback.sqlite');
  const app = await startApp({
    cwd: dir,
    cpuProfileDir,
    env: productionEnv({ port, databasePath, webhookKeyPem: keys.publicKeyPem, apiUrl: 'http://127.0.0.1:9' }),
  });
  const appCursor = { next: 0 };
  const bareCursor = { next: 0 };
  const appUrl = app.url + WEBHOOK_PATH;

  // Warm both up (JIT, SQLite page cache) before anything counts.
  await maxThroughput({ url: bare.url + WEBHOOK_PATH, pool, cursor: bareCursor, durationSeconds: 2 });
  await maxThroughput({ url: appUrl, pool, cursor: appCursor, durationSeconds: 2 });

  const rss = sampleRss(app.pid);
  const bareRuns = [];
  const appRuns = [];
  for (let round = 0; round < rounds; round += 1) {
    // Alternate the order so a drift in the machine's load hits both sides alike.
    const order = round % 2 === 0 ? ['bare', 'app'] : ['app', 'bare'];
    for (const side of order) {
      if (side === 'bare') {
        bareRuns.push(await counted(bare.pid, () => maxThroughput({ url: bare.url + WEBHOOK_PATH, pool, cursor: bareCursor, durationSeconds: seconds })));
      } else {
        topUp(appCursor, Math.ceil((appRuns.at(-1)?.rps ?? 8_000) * seconds * 1.5));
        appRuns.push(await counted(app.pid, () => maxThroughput({ url: appUrl, pool, cursor: appCursor, durationSeconds: seconds })));
      }
    }
  }
  const ratios = appRuns.map((run, i) => run.rps / bareRuns[i].rps);
  const appRps = median(appRuns.map((run) => run.rps));
  const bareRps = median(bareRuns.map((run) => run.rps));
  const failures = appRuns.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
  report('bare node:http + Ed25519 verify (req/s)', bareRps.toFixed(0));
  report('app signed webhook ingest (req/s)', appRps.toFixed(0));
  report('app ingest non-2xx or errors', failures);
  report('ingest rounds (app/bare each)', ratios.map((r) => r.toFixed(2)).join(' '));
  report('ingest ratio', median(ratios).toFixed(2));
  report('verify-only ratio (bare verify / bare no-verify)', (bareRps / bareNoVerify.rps).toFixed(2));
  report('for reference: bare node:http + libsodium verify, the app\'s Ed25519 library (req/s; one run)', bareSodium.rps.toFixed(0));
  // Both servers and the load generator share the machine's two cores: what each request costs each of them.
  const perRequest = (runs, key) => (runs.reduce((sum, run) => sum + run[key], 0) * 1000 / runs.reduce((sum, run) => sum + run.total, 0)).toFixed(0);
  report('CPU per request at max rate, app / bare verify (µs; the app\'s worker included)', `${perRequest(appRuns, 'serverCpuMs')} / ${perRequest(bareRuns, 'serverCpuMs')}`);
  report('load generator CPU per request against the app / bare (µs)', `${perRequest(appRuns, 'loadCpuMs')} / ${perRequest(bareRuns, 'loadCpuMs')}`);

  // Latency at half the measured maximum, open loop, both servers at the same rate; first the app works off the
  // backlog the flat-out rounds left (at full speed intake outruns the worker), so the latency run starts level.
  const drainStartedAt = Date.now();
  const drained = await waitForIdleQueue(databasePath);
  report('backlog after max-rate rounds worked off in (s)', drained ? ((Date.now() - drainStartedAt) / 1000).toFixed(1) : 'not within 120 s');
  const rate = Math.max(100, Math.round(appRps / 2));
  topUp(appCursor, rate * seconds + 100);
  const bodyAt = (cursor) => () => {
    const item = pool[cursor.next++ % pool.length];
    return { path: WEBHOOK_PATH, body: item.body, headers: { 'content-type': 'application/json', 'x-ghl-signature': item.signature } };
  };
  // Which tenths of a second of the run had an answer slower than 25 ms (the goal's p99): one stall, or a steady tail.
  const slowTenths = new Set();
  const appCpuBefore = cpuMs(app.pid);
  const appLatency = await pacedRequests({
    url: app.url, rate, durationSeconds: seconds, next: bodyAt(appCursor),
    onResponse: (i, status, ms) => { if (ms > 25) slowTenths.add(Math.floor((i / rate) * 10) / 10); },
  });
  const appCpuAtHalf = cpuMs(app.pid) - appCpuBefore;
  const bareLatency = await pacedRequests({ url: bare.url, rate, durationSeconds: seconds, next: bodyAt(bareCursor) });
  const peakRss = rss.stop();
  report('ack latency rate (req/s, half of max)', rate);
  report('webhook ack latency p50 (ms)', appLatency.p50.toFixed(2));
  report('webhook ack latency p99 (ms)', appLatency.p99.toFixed(2));
  report('bare verify latency p50/p99 at the same rate (ms)', `${bareLatency.p50.toFixed(2)} / ${bareLatency.p99.toFixed(2)}`);
  report('ack latency p99 ratio (app/bare)', (appLatency.p99 / bareLatency.p99).toFixed(2));
  report('app CPU per webhook at half rate (µs; the app\'s worker included)', (appCpuAtHalf * 1000 / appLatency.count).toFixed(0));
  report('tenths of a second of the half-rate run with an answer over 25 ms (s into the run)', slowTenths.size === 0 ? 'none' : [...slowTenths].sort((a, b) => a - b).map((t) => t.toFixed(1)).join(' '));
  report('app RSS peak during ingest (MB)', peakRss.toFixed(0));
  report('reused bodies against the app (should be 0)', Math.max(0, appCursor.next - pool.length));

  await bare.stop();
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
  return { appRps, ratio: median(ratios), peakRss };
}
