// Crash: kill -9 the built app at random moments while missed calls and their follow-ups flow, restart it on the same
// database each time → 0 duplicate texts, 0 lost calls or follow-ups, and the texts in flight at a kill recorded
// "unknown" and never resent (ADR 0002 reserve-before-send, ADR 0004 one process owns the database).
// Real time on purpose: the app is a child process (node dist/src/main.js) talking HTTP to a stand-in HighLevel here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, systemClock } from '../../src/lib/clock.js';
import { generateKey } from '../../src/lib/crypto.js';
import { generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';
import { createStandIn, type StandIn } from '../../src/sandbox/standin/index.js';
import { isSendAllowed } from '../../src/workflow/send-window.js';
import { buildApp, createAppProcess, freePort, type AppProcess } from './support/crash-child.js';
import { serveStandInFront, type SendFront } from './support/crash-front.js';
import { createKillSwitch } from './support/crash-kills.js';
import { auditCrashRun, openAppDatabase, type AckedCall, type AppDatabase } from './support/crash-ledger.js';

const FULL = process.env.RESILIENCE_SIZE === 'full';
const SIZE = FULL
  ? { calls: 1000, locations: 50, kills: 3, spreadMs: 8_000, settleMs: 240_000 }
  : { calls: 200, locations: 20, kills: 2, spreadMs: 2_500, settleMs: 60_000 };
/** Webhook deliveries in flight at once, as HighLevel's senders would have. */
const CONCURRENCY = 20;
const CLIENT_ID = 'crash-client';
const CLIENT_SECRET = 'crash-secret';
const webhookKeys = generateWebhookKeyPair();

// UK mobiles (valid for libphonenumber, not NANP): texts to them follow the location's own 9:00–20:00 window.
const callerNumber = (i: number) => `+4474001${String(i).padStart(5, '0')}`;
const businessNumber = (i: number) => `+44207946${String(i).padStart(4, '0')}`;

/** An Etc/GMT zone where the wall clock reads about 13:00 now (Etc/GMT-N is UTC+N: the sign is inverted). */
function zoneWhereItIsAboutOnePm(at: number): string {
  const offset = 13 - new Date(at).getUTCHours();
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

let dir: string | undefined;
let standIn: StandIn;
let front: SendFront | undefined;
let app: AppProcess | undefined;
let db: AppDatabase | undefined;

beforeAll(async () => {
  const main = await buildApp();
  dir = mkdtempSync(join(tmpdir(), 'textback-crash-'));
  standIn = createStandIn({ clock: systemClock, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  front = await serveStandInFront(standIn, Math.random);
  const port = await freePort();
  app = createAppProcess({
    main, port, cwd: dir, // a directory without .env: only this environment configures the app
    env: {
      NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_PATH: join(dir, 'textback.sqlite'),
      HIGHLEVEL_CLIENT_ID: CLIENT_ID, HIGHLEVEL_CLIENT_SECRET: CLIENT_SECRET, HIGHLEVEL_SHARED_SECRET: 'crash-shared-secret',
      HIGHLEVEL_API_URL: front.url, HIGHLEVEL_WEBHOOK_KEYS: webhookKeys.publicKeyPem, ENCRYPTION_KEY: generateKey(), LOG_LEVEL: 'warn',
    },
  });
  await app.start();
  db = openAppDatabase(join(dir, 'textback.sqlite'));
}, 240_000);

afterAll(async () => {
  const steps = [() => app?.kill(), () => db?.close(), () => front?.close(), () => dir && rmSync(dir, { recursive: true, force: true })];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      console.error('crash test clean-up:', error);
    }
  }
});

async function installLocations(timeZone: string): Promise<string[]> {
  const company = standIn.createCompany({ id: 'company-crash' });
  return Promise.all(Array.from({ length: SIZE.locations }, async (_, i) => {
    const location = standIn.createLocation({ id: `loc-crash-${i}`, companyId: company.id, name: `Crash Shop ${i}`, timezone: timeZone, numbers: [businessNumber(i)] });
    const code = standIn.issueAuthCode({ userType: 'Location', locationId: location.id, companyId: company.id });
    const res = await fetch(`${app!.url}/oauth/callback?code=${encodeURIComponent(code)}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`the install of ${location.id} answered ${res.status}`);
    return location.id;
  }));
}

/** POSTs one webhook until the app answers 200, as HighLevel redelivers; returns the number of attempts. */
async function deliverUntilAcknowledged(body: string): Promise<number> {
  const { header, signature } = signWebhookBody(body, webhookKeys.privateKey);
  const headers = { 'content-type': 'application/json', [header]: signature };
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    let status: number | null = null;
    try {
      const res = await fetch(`${app!.url}/webhooks/highlevel`, { method: 'POST', body, headers, signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      // refused or reset: the app is down or restarting
    }
    if (status === 200) return attempt;
    if (status !== null && status !== 429 && status < 500) throw new Error(`the webhook was refused for good: ${status}`);
    if (Date.now() > deadline) throw new Error(`the webhook was not acknowledged within 60 s (last status ${status})`);
    await sleep(50 + Math.random() * 100);
  }
}

/** Places the missed calls spread over SIZE.spreadMs and delivers each one's webhook until acknowledged (into `acked`). */
async function fireMissedCalls(locations: string[], acked: AckedCall[]): Promise<{ redeliveries: number }> {
  let redeliveries = 0;
  let next = 0;
  const firstAt = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < SIZE.calls) {
      const i = next++;
      const dueAt = firstAt + (i * SIZE.spreadMs) / SIZE.calls;
      if (dueAt > Date.now()) await sleep(dueAt - Date.now());
      const { contact, event } = standIn.placeCall({ locationId: locations[i % locations.length], from: callerNumber(i), status: 'no-answer' });
      redeliveries += (await deliverUntilAcknowledged(JSON.stringify(event))) - 1;
      acked.push({ locationId: String(event.locationId), contactId: contact.id, callKey: String(event.messageId) });
    }
  }));
  return { redeliveries };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function waitUntil(what: string, done: () => boolean, check: () => void): Promise<void> {
  const deadline = Date.now() + SIZE.settleMs;
  for (;;) {
    check();
    if (done()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('crash: kill -9 while missed calls and follow-ups flow', () => {
  it('when the app is killed at random moments and restarted, then no text is doubled, none is lost, and texts in flight stay unknown', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(`app log tail:\n${app!.logTail()}`));
    const startedAt = Date.now();
    const timeZone = zoneWhereItIsAboutOnePm(startedAt);
    for (const at of [startedAt, startedAt + 30 * MINUTE]) {
      if (!isSendAllowed(at, callerNumber(0), timeZone)) throw new Error(`texts are not allowed at ${new Date(at).toISOString()} in ${timeZone}: the test would measure quiet hours, not crashes`);
    }
    const locations = await installLocations(timeZone);
    const killSwitch = createKillSwitch({ app: app!, front: front!, random: Math.random });
    const check = () => killSwitch.check();

    // 1. Missed calls: kills at random points while webhooks arrive and text-backs go out.
    const acked: AckedCall[] = [];
    killSwitch.arm('text-backs', SIZE.kills, { progress: () => acked.length + front!.arrived(), total: 2 * SIZE.calls, from: 0.05, to: 0.8 });
    const { redeliveries } = await fireMissedCalls(locations, acked);
    const webhooksDoneAt = Date.now();
    await waitUntil('the text-backs to settle', () => !killSwitch.busy() && db!.textBacksQuiet(), check);
    const textBackKills = killSwitch.kills.length;

    // 2. Follow-ups made due now (their delay is at least 15 minutes), one more kill while they go out.
    const dueNow = db!.makeFollowUpsDue(Date.now());
    killSwitch.arm('follow-ups', 1, { progress: () => front!.arrived(), total: dueNow, from: 0.15, to: 0.75 });
    await waitUntil('the follow-ups to settle', () => !killSwitch.busy() && db!.allQuiet(), check);

    const inFlight = killSwitch.kills.flatMap((kill) => kill.inFlight);
    const inFlightMessageIds = inFlight.flatMap((send) => (send.messageId ? [send.messageId] : []));
    const audit = auditCrashRun({ acked, calls: db!.calls(), messages: db!.messages(), reached: standIn.sentMessages(), inFlightMessageIds });
    const { figures } = audit;
    const unknown = Object.entries(figures.ledger).filter(([key]) => key.endsWith(':unknown')).reduce((sum, [, n]) => sum + n, 0);
    console.log([
      `crash (${FULL ? 'full' : 'reduced'}): ${SIZE.calls} calls over ${SIZE.locations} locations, ${acked.length} acknowledged (${redeliveries} redeliveries)`,
      `kills: ${killSwitch.kills.length} (${textBackKills} during text-backs, ${killSwitch.kills.length - textBackKills} during follow-ups), at ${killSwitch.kills.map((k) => seconds(k.at - startedAt)).join(', ')} (webhooks all acknowledged at ${seconds(webhooksDoneAt - startedAt)}), restarts took ${killSwitch.kills.map((k) => seconds(k.restartMs)).join(', ')}`,
      `texts reaching HighLevel: ${figures.textBacks} text-backs, ${figures.followUps} follow-ups (${figures.dueFollowUps} due, ${dueNow} made due)`,
      `in flight at the kills: ${inFlight.length} (${inFlightMessageIds.length} accepted by HighLevel); unknown: ${unknown} (${figures.unknownReached} of them had reached HighLevel; the app reported ${app!.reportedInterrupted()} interrupted at start-up)`,
      `ledger: ${JSON.stringify(figures.ledger)}; HighLevel 429s: ${standIn.counters().rateLimited}; duration ${seconds(Date.now() - startedAt)}`,
    ].join('\n  '));

    expect(app!.unexpectedExits).toEqual([]);
    expect(killSwitch.kills.map((kill) => kill.phase)).toEqual([...Array<string>(SIZE.kills).fill('text-backs'), 'follow-ups']);
    expect(killSwitch.kills.every((kill) => kill.inFlight.length > 0)).toBe(true);
    expect(acked).toHaveLength(SIZE.calls);
    expect(audit.duplicates).toEqual([]);
    expect(audit.unaccounted).toEqual([]);
    expect(audit.lostTextBacks).toEqual([]);
    expect(audit.lostFollowUps).toEqual([]);
    expect(audit.sentButAbsent).toEqual([]);
    expect(inFlightMessageIds.length).toBeGreaterThan(0);
    expect(audit.inFlightViolations).toEqual([]);
    expect(figures.dueFollowUps).toBeGreaterThan(0);
    expect(db!.failedJobs().filter((job) => ['highlevel-event', 'textback', 'followup'].includes(job.kind))).toEqual([]);
  }, FULL ? 900_000 : 120_000);
});
