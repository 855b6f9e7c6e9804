// End to end: missed-call webhooks at a steady 200 calls/s across 1,000 installed locations, over a database holding
// 1M history rows and 1M pending follow-ups, until each text reaches the local HighLevel stand-in; then follow-ups
// pulled due with SQL to measure the scheduler's lag from due time to send; the app's RSS throughout. With `postgres`
// (a throwaway database from support/postgres.js) the same on PostgreSQL, `instances` app processes sharing it (the
// calls spread round-robin), figures prefixed "postgres: ", and the CPU of every app process and of the server's
// backends for that database.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, sampleRss } from '../support/children.js';
import { pacedRequests, percentile } from '../support/load.js';
import { sampleBackendCpu, waitForIdlePostgresQueue } from '../support/postgres.js';
import { waitForIdleQueue } from '../support/queue-watch.js';
import { signEvent } from '../support/webhooks.js';
import { callerNumber, createWorld, seedHistory, startAppForWorld } from '../support/world.js';

const { DELIVERY_CHECK_AFTER_MS } = await import(join(DIST, 'messaging', 'delivery-check.js'));

export async function runEndToEnd({ report: reportFigure, locations = 1_000, rate = 200, seconds = 15, historyCalls = 500_000, pendingFollowUps = 1_000_000, followUpSample = 300, warmUpRate = rate, warmUpSeconds = seconds, cpuProfileDir, postgres, instances = 1 }) {
  const report = postgres ? (name, value) => reportFigure(`postgres: ${name}`, value) : reportFigure;
  const world = await createWorld({ locations, settingsPatch: { followUp: { enabled: true, delayMinutes: 15 } }, postgres });
  const seedingStartedAt = Date.now();
  const seeded = postgres
    ? await (await import('../support/world-postgres.js')).seedHistoryPostgres(postgres, world.locationIds, { calls: historyCalls, pendingFollowUps })
    : seedHistory(world.databasePath, world.locationIds, { calls: historyCalls, pendingFollowUps });
  report('history rows (calls + messages)', seeded.history);
  report('pending follow-ups before the run', seeded.pending);
  if (postgres) report('seeding history and follow-ups took (s)', ((Date.now() - seedingStartedAt) / 1000).toFixed(1));
  // The seeding's writes go to the data files now, not in a checkpoint spread over the measured run (a server that
  // refuses, lacking the privilege, just goes on).
  if (postgres) await postgres.admin.query('CHECKPOINT').catch(() => {});
  const waitForIdle = (options) => (postgres ? waitForIdlePostgresQueue(postgres.url, options) : waitForIdleQueue(world.databasePath, options));

  const { app, keys } = await startAppForWorld(world, { cpuProfileDir });
  const apps = [app];
  for (let i = 1; i < instances; i += 1) apps.push((await startAppForWorld(world, { cpuProfileDir, keys })).app);
  if (instances > 1) report('app instances', instances);
  // The app's own footprint at rest (started, database open, nothing flowing) is the baseline for its RSS under load.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idleRss = app.rssMb();
  const rss = sampleRss(app.pid);
  try {
    // Each call is a real stand-in call (its contact exists there), signed just before it is placed.
    const placeCalls = (count, firstCaller) => Array.from({ length: count }, (_, i) => {
      const { event } = world.standIn.placeCall({ locationId: world.locationIds[i % locations], from: callerNumber(firstCaller + i), status: 'no-answer' });
      return { contactId: event.contactId, ...signEvent(event, keys.privateKey) };
    });
    const total = rate * seconds;
    const sentAt = new Map();
    const post = (call) => {
      sentAt.set(call.contactId, Date.now());
      return { path: '/webhooks/highlevel', body: call.body, headers: { 'content-type': 'application/json', 'x-ghl-signature': call.signature } };
    };
    const urls = apps.map((each) => each.url);
    if (warmUpSeconds > 0) {
      // A serving instance has compiled its hot paths and filled its connection pool; one started a second ago has
      // not, and runs its first second or two at about half speed: at 200 calls/s the backlog that builds then takes
      // seconds to drain and dominates the p99 (1.0–1.4 s on PostgreSQL, measured 2026-12-03). V8 goes on optimising
      // for longer than that: after 300 warm-up calls, 270 functions were still compiled during the measured 15 s
      // (1.1 s of compiler threads, about an eighth of the app's CPU in the run); after as many warm-up calls as the
      // run places, 51 (0.14 s) (`--trace-opt`, 2026-12-04). The measured run is of a warm app: first the same load
      // from other numbers, reported apart with its own CPU per call, all texted before the run.
      const warmUp = placeCalls(warmUpRate * warmUpSeconds, total);
      const warmUpCpuBefore = apps.reduce((sum, each) => sum + each.cpuMs(), 0);
      await pacedRequests({ urls, rate: warmUpRate, durationSeconds: warmUpSeconds, next: (i) => post(warmUp[i]) });
      await waitFor(() => world.standIn.sentMessages().length >= warmUp.length, 60_000);
      const warmUpCpu = apps.reduce((sum, each) => sum + each.cpuMs(), 0) - warmUpCpuBefore;
      const warmLatencies = latenciesOf(world.standIn.sentMessages(), sentAt);
      report(`warm-up before the run: calls at ${warmUpRate}/s, texted, send p99 (ms)`, `${warmUp.length}, ${warmLatencies.length}, ${percentile(warmLatencies, 0.99)}`);
      report('warm-up: app CPU per missed call of a just-started app (ms)', (warmUpCpu / warmUp.length).toFixed(2));
      // Every text asks HighLevel for its delivery status 30 s later (src/messaging/delivery-check.ts). The run
      // measures missed call → send, as it always has: the warm-up's checks are done before it starts, and its own
      // come after it ends.
      const lastWarmUpText = Math.max(...world.standIn.sentMessages().map((message) => message.at));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastWarmUpText + DELIVERY_CHECK_AFTER_MS[0] + 1_000 - Date.now())));
      await waitForIdle({ timeoutMs: 30_000 });
      sentAt.clear();
    }
    const sentBefore = world.standIn.sentMessages().length;
    const calls = placeCalls(total, 0);
    const appsCpuMs = () => apps.reduce((sum, each) => sum + each.cpuMs(), 0);
    const cpuBefore = appsCpuMs();
    const backends = postgres ? sampleBackendCpu(postgres.admin, postgres.name) : null;
    const benchCpuBefore = process.cpuUsage();
    const runStartedAt = performance.now();
    const acks = await pacedRequests({ urls, rate, durationSeconds: seconds, next: (i) => post(calls[i]) });
    const texted = await waitFor(() => world.standIn.sentMessages().length >= sentBefore + total, 60_000);
    const cpuUsed = appsCpuMs() - cpuBefore;
    const elapsedMs = performance.now() - runStartedAt;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const busyShare = cpuUsed / elapsedMs;
    const backendCpu = backends ? await backends.stop() : null;
    const latencies = latenciesOf(world.standIn.sentMessages(), sentAt);
    report('end-to-end calls sent (webhooks)', `${acks.count} (${JSON.stringify(acks.statuses)}, errors ${acks.errors})`);
    report('end-to-end texts received by the stand-in', `${latencies.length} of ${total}${texted ? '' : ' (timed out)'}`);
    report('missed call → send p50 (ms)', percentile(latencies, 0.5));
    report('missed call → send p99 (ms)', percentile(latencies, 0.99));
    // When a backlog formed, and when it drained: a p99 from one slow second reads differently from a steady one.
    report('missed call → send p50 by second of the run (ms)', timeline(world.standIn.sentMessages(), sentAt).join(', '));
    report('webhook ack p99 during the run (ms)', acks.p99.toFixed(1));
    report('429s from the stand-in during the run', world.standIn.counters().rateLimited);
    report(`app CPU at ${rate} calls/s (cores used)`, busyShare.toFixed(2));
    // On SQLite the app is one process (intake, worker, SQLite): its CPU is the whole cost, goal ≤ 2.5 ms per missed
    // call. On PostgreSQL this counts every app process; the server's backends are reported beside it.
    report('app CPU per missed call, end to end (ms)', (cpuUsed / total).toFixed(2));
    if (backendCpu !== null) {
      report('PostgreSQL backends CPU per missed call (ms)', (backendCpu / total).toFixed(2));
      report(`PostgreSQL backends CPU at ${rate} calls/s (cores used)`, (backendCpu / elapsedMs).toFixed(2));
    }
    // The machine's other tenant during the run: this process plays HighLevel (two requests per text) and the caller.
    report('bench process CPU, stand-in HighLevel + load generator (cores used)', ((benchCpu.user + benchCpu.system) / 1000 / elapsedMs).toFixed(2));

    // Scheduler lag: pull a sample of the follow-ups just scheduled (15 min ahead) due in a few seconds, 100 per second.
    await waitForIdle({ timeoutMs: 30_000 });
    const base = Date.now() + 2_500;
    const dueAt = postgres
      ? await (await import('../support/world-postgres.js')).pullFollowUpsDuePostgres(postgres, { count: followUpSample, base })
      : pullFollowUpsDue(world.databasePath, { count: followUpSample, base });
    const before = world.standIn.sentMessages().length;
    await waitFor(() => world.standIn.sentMessages().length >= before + dueAt.size, 30_000);
    const lags = [];
    const seen = new Map();
    for (const message of world.standIn.sentMessages()) {
      const n = (seen.get(message.contactId) ?? 0) + 1;
      seen.set(message.contactId, n);
      if (n === 2 && dueAt.has(message.contactId)) lags.push(message.at - dueAt.get(message.contactId));
    }
    lags.sort((a, b) => a - b);
    report('follow-ups sent of those pulled due', `${lags.length} of ${dueAt.size}`);
    report('follow-up lag due → send p50 (ms)', percentile(lags, 0.5));
    report('follow-up lag due → send p99 (ms)', percentile(lags, 0.99));
    report('follow-up lag due → send max (ms)', lags.at(-1) ?? 'n/a');
    const peakRss = rss.stop();
    report('app RSS at rest after start (MB)', idleRss.toFixed(0));
    report('app RSS peak during end-to-end (MB)', peakRss.toFixed(0));
    report('RSS ratio (peak under load / at rest)', (peakRss / idleRss).toFixed(2));
  } finally {
    rss.stop();
    await Promise.all(apps.map((each) => each.stop()));
    await world.close();
    rmSync(world.dir, { recursive: true, force: true });
  }
}

/** When each contact's first text reached the stand-in: contact id → time. */
function firstTexts(messages) {
  const firstText = new Map();
  for (const message of messages) if (!firstText.has(message.contactId)) firstText.set(message.contactId, message.at);
  return firstText;
}

/** The p50 of missed call → send for the calls placed in each second of the run, in order. */
function timeline(messages, sentAt) {
  const firstText = firstTexts(messages);
  const start = Math.min(...sentAt.values());
  const seconds = [];
  for (const [contactId, placedAt] of sentAt) {
    const at = firstText.get(contactId);
    if (at === undefined) continue;
    (seconds[Math.floor((placedAt - start) / 1_000)] ??= []).push(at - placedAt);
  }
  return Array.from(seconds, (each) => (each ? percentile(each.sort((a, b) => a - b), 0.5) : 'n/a'));
}

/** Each placed call's first text: from its webhook being posted to the stand-in receiving the text, sorted. */
function latenciesOf(messages, sentAt) {
  const firstText = firstTexts(messages);
  return [...firstText].filter(([contactId]) => sentAt.has(contactId)).map(([contactId, at]) => at - sentAt.get(contactId)).sort((a, b) => a - b);
}

/** Moves `count` follow-ups the run scheduled (not the seeded ones) due at base + i × 10 ms; contact id → due time. */
function pullFollowUpsDue(databasePath, { count, base }) {
  const db = new Database(databasePath);
  db.pragma('busy_timeout = 5000');
  const sample = db.prepare(`
    SELECT j.id, c.contact_id AS contactId FROM jobs j JOIN calls c ON c.id = json_extract(j.payload, '$.callId')
    WHERE j.kind = 'followup' AND j.status = 'pending' AND j.dedupe_key NOT LIKE '%:future-%' LIMIT ?`).all(count);
  const dueAt = new Map();
  const move = db.prepare('UPDATE jobs SET run_at = ? WHERE id = ?');
  db.transaction(() => sample.forEach((job, i) => { const at = base + i * 10; move.run(at, job.id); dueAt.set(job.contactId, at); }))();
  db.close();
  return dueAt;
}

async function waitFor(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}
