// Several instances: three app processes (the built app, as crash.test.ts runs it) on one fresh PostgreSQL database
// and one stand-in HighLevel enforcing 100 requests / 10 s per location with real 429s. Webhooks are spread over the
// three and some redelivered to another one; one instance is killed with kill -9 mid-burst; a location takes a burst
// of missed calls; tokens expire (a rotation); follow-ups come due → 0 duplicate texts, 0 lost acknowledged events,
// 0 × 429, one refresh per rotation (each refresh token used once), one follow-up each. Runs only with TEST_DATABASE_URL.
// Time passing is fast-forwarded in the database (leases, token expiry, follow-up delay), never slept.
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, systemClock } from '../../src/lib/clock.js';
import { generateKey } from '../../src/lib/crypto.js';
import { generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';
import { createStandIn, type StandIn } from '../../src/sandbox/standin/index.js';
import { isSendAllowed } from '../../src/workflow/send-window.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { buildApp, createAppProcess, freePort, type AppProcess } from './support/crash-child.js';
import { serveStandInFront, type SendFront } from './support/crash-front.js';
import { auditCrashRun, type AckedCall } from './support/crash-ledger.js';
import { instancesDatabase } from './support/instances-db.js';

const FULL = process.env.RESILIENCE_SIZE === 'full';
/** `burst` calls at one location (2 HighLevel requests each: well past 100 / 10 s), the rest spread over the others. */
const SIZE = FULL
  ? { burst: 200, calls: 1000, locations: 50, spreadMs: 8_000, settleMs: 300_000 }
  : { burst: 70, calls: 120, locations: 6, spreadMs: 3_000, settleMs: 60_000 };
const INSTANCES = 3;
const CONCURRENCY = 20;
const REDELIVER_SHARE = 0.25;
const LEASE_MS = 5 * MINUTE;
const CLIENT_ID = 'instances-client';
const CLIENT_SECRET = 'instances-secret';
const webhookKeys = generateWebhookKeyPair();

const callerNumber = (i: number) => `+4474002${String(i).padStart(5, '0')}`;
const businessNumber = (i: number) => `+44207947${String(i).padStart(4, '0')}`;
function zoneWhereItIsAboutOnePm(at: number): string {
  const offset = 13 - new Date(at).getUTCHours();
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

let database: TestDatabase | undefined;
let standIn: StandIn;
let front: SendFront | undefined;
let dir: string | undefined;
const apps: AppProcess[] = [];
const refreshes = { attempts: 0, succeeded: 0, refused: 0 };

describe.runIf(hasPostgres)('several instances on one PostgreSQL', () => {
  beforeAll(async () => {
    const main = await buildApp();
    database = await createTestDatabase({ migrate: true });
    dir = mkdtempSync(join(tmpdir(), 'textback-instances-'));
    standIn = createStandIn({ clock: systemClock, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    // Counts token refreshes by their answer: a refused one is a refresh token used a second time.
    const counted = {
      handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
        if (req.method === 'POST' && (req.url ?? '').startsWith('/oauth/token')) {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('finish', () => {
            if (!Buffer.concat(chunks).toString('utf8').includes('grant_type=refresh_token')) return;
            refreshes.attempts += 1;
            if (res.statusCode === 200) refreshes.succeeded += 1;
            else refreshes.refused += 1;
          });
        }
        standIn.handle(req, res);
      },
    } as unknown as StandIn;
    front = await serveStandInFront(counted, Math.random);
    const encryptionKey = generateKey();
    for (let i = 0; i < INSTANCES; i += 1) {
      const port = await freePort();
      apps.push(createAppProcess({
        main, port, cwd: dir,
        env: {
          PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
          DATABASE_URL: database.url, DATABASE_PATH: join(dir, `unused-${i}.sqlite`),
          HIGHLEVEL_CLIENT_ID: CLIENT_ID, HIGHLEVEL_CLIENT_SECRET: CLIENT_SECRET, HIGHLEVEL_SHARED_SECRET: 'instances-shared-secret',
          HIGHLEVEL_API_URL: front.url, HIGHLEVEL_WEBHOOK_KEYS: webhookKeys.publicKeyPem, ENCRYPTION_KEY: encryptionKey, LOG_LEVEL: 'warn',
        },
      }));
    }
    await Promise.all(apps.map((app) => app.start()));
  }, 240_000);

  afterAll(async () => {
    const steps = [...apps.map((app) => () => app.kill()), () => front?.close(), () => database?.drop(), () => dir && rmSync(dir, { recursive: true, force: true })];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        console.error('several-instances clean-up:', error);
      }
    }
  });

  async function installLocations(timeZone: string): Promise<string[]> {
    const company = standIn.createCompany({ id: 'company-instances' });
    return Promise.all(Array.from({ length: SIZE.locations }, async (_, i) => {
      const location = standIn.createLocation({ id: `loc-inst-${i}`, companyId: company.id, name: `Shop ${i}`, timezone: timeZone, numbers: [businessNumber(i)] });
      const code = standIn.issueAuthCode({ userType: 'Location', locationId: location.id, companyId: company.id });
      const res = await fetch(`${apps[i % INSTANCES].url}/oauth/callback?code=${encodeURIComponent(code)}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`the install of ${location.id} answered ${res.status}`);
      return location.id;
    }));
  }

  /** POSTs a webhook to instance `first`, then the next ones in turn, until one answers 200 (HighLevel redelivers). */
  async function deliver(body: string, first: number): Promise<number> {
    const { header, signature } = signWebhookBody(body, webhookKeys.privateKey);
    const headers = { 'content-type': 'application/json', [header]: signature };
    const deadline = Date.now() + 30_000;
    for (let attempt = 0; ; attempt++) {
      const app = apps[(first + attempt) % INSTANCES];
      let status: number | null = null;
      try {
        const res = await fetch(`${app.url}/webhooks/highlevel`, { method: 'POST', body, headers, signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // refused or reset: that instance is dead
      }
      if (status === 200) return (first + attempt) % INSTANCES;
      if (status !== null && status !== 429 && status < 500) throw new Error(`the webhook was refused for good: ${status}`);
      if (Date.now() > deadline) throw new Error(`the webhook was not acknowledged within 30 s (last status ${status})`);
      await sleep(20 + Math.random() * 50);
    }
  }

  async function waitUntil(what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + SIZE.settleMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  it('when webhooks are spread over three instances and one is killed mid-burst, then no text is doubled or lost, HighLevel never answers 429, and each rotation and follow-up happens once', async ({ onTestFailed }) => {
    onTestFailed(() => { for (const [i, app] of apps.entries()) console.log(`instance ${i} log tail:\n${app.logTail().split('\n').slice(-40).join('\n')}`); });
    const db = instancesDatabase(database!.open().pool);
    const startedAt = Date.now();
    const timeZone = zoneWhereItIsAboutOnePm(startedAt);
    for (const at of [startedAt, startedAt + 30 * MINUTE]) {
      if (!isSendAllowed(at, callerNumber(0), timeZone)) throw new Error(`texts are not allowed at ${new Date(at).toISOString()} in ${timeZone}`);
    }
    const locations = await installLocations(timeZone);
    const burstLocation = locations[0];
    const locationOf = (i: number) => (i < SIZE.burst ? burstLocation : locations[1 + (i % (locations.length - 1))]);

    // 1. Missed calls, a burst at one location among them; instance 1 dies with sends in flight.
    const victim = apps[1];
    let kill: { at: number; inFlight: number } | null = null;
    const acked: AckedCall[] = [];
    // Once 30 % of the webhooks are acknowledged, just as a send reaches HighLevel (texts are in flight); at the
    // latest when the last webhook is acknowledged (text-backs still going out).
    const killNow = () => {
      if (kill) return;
      kill = { at: Date.now(), inFlight: front!.inFlight().length };
      void victim.kill();
    };
    front!.onArrival(() => { if (acked.length >= 0.3 * SIZE.calls) killNow(); });
    const ackedBy = [0, 0, 0];
    let redelivered = 0;
    let next = 0;
    const firstAt = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < SIZE.calls) {
        const i = next++;
        const dueAt = firstAt + (i * SIZE.spreadMs) / SIZE.calls;
        if (dueAt > Date.now()) await sleep(dueAt - Date.now());
        const { contact, event } = standIn.placeCall({ locationId: locationOf(i), from: callerNumber(i), status: 'no-answer' });
        const body = JSON.stringify(event);
        const by = await deliver(body, i % INSTANCES);
        ackedBy[by] += 1;
        acked.push({ locationId: String(event.locationId), contactId: contact.id, callKey: String(event.messageId) });
        // HighLevel redelivers some acknowledged webhooks, to whichever instance the proxy picks.
        if (Math.random() < REDELIVER_SHARE) {
          await deliver(body, by + 1);
          redelivered += 1;
        }
      }
    }));
    const webhooksAt = Date.now();
    killNow();
    const killedAt = kill!.at;

    // 2. The survivors finish everything but what the dead instance holds; then its leases run out.
    let lastRunning = '';
    let stableSince = Date.now();
    await waitUntil('the survivors to finish the text-backs', async () => {
      const jobs = await db.textJobs();
      if (jobs.some((job) => job.status === 'pending' || (job.lease_until ?? 0) > killedAt + LEASE_MS)) return false;
      const running = jobs.map((job) => job.id).join(',');
      if (running !== lastRunning) {
        lastRunning = running;
        stableSince = Date.now();
      }
      return Date.now() - stableSince > 1_500;
    });
    const orphaned = await db.expireLeases(killedAt + LEASE_MS, Date.now());
    await waitUntil('the dead instance\'s jobs to be taken over', async () => (await db.textJobs()).length === 0);
    const textBacksAt = Date.now();

    // 3. Every location's token expires (a rotation), and the follow-ups come due.
    const rotated = await db.expireTokens(Date.now());
    const dueNow = await db.makeFollowUpsDue(Date.now());
    await waitUntil('the follow-ups to settle', async () => (await db.allJobs()).length === 0);

    const audit = auditCrashRun({ acked, calls: await db.calls(), messages: await db.messages(), reached: standIn.sentMessages(), inFlightMessageIds: [] });
    const { figures } = audit;
    const burstTexts = standIn.sentMessages({ locationId: burstLocation }).length;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log([
      `several instances (${FULL ? 'full' : 'reduced'}): ${SIZE.calls} calls over ${SIZE.locations} locations (${SIZE.burst} at one), ${INSTANCES} instances; acknowledged by each: ${ackedBy.join('/')}, ${redelivered} redelivered to another instance`,
      `kill -9 of instance 1 at ${seconds(killedAt - startedAt)} with ${kill!.inFlight} sends (of any instance) in flight at HighLevel; ${orphaned} of its jobs taken over after its leases ran out; webhooks done at ${seconds(webhooksAt - startedAt)}, text-backs at ${seconds(textBacksAt - startedAt)}`,
      `texts reaching HighLevel: ${figures.textBacks} text-backs, ${figures.followUps} follow-ups (${figures.dueFollowUps} due, ${dueNow} made due); burst location: ${burstTexts} texts`,
      `rotation: ${rotated} tokens expired; refreshes: ${refreshes.succeeded} succeeded, ${refreshes.refused} refused (a refresh token used twice), ${refreshes.attempts} attempts`,
      `ledger: ${JSON.stringify(figures.ledger)}; HighLevel requests: ${standIn.counters().requests}, 429s: ${standIn.counters().rateLimited}; duration ${seconds(Date.now() - startedAt)}`,
    ].join('\n  '));

    expect(apps.flatMap((app) => app.unexpectedExits)).toEqual([]);
    expect(acked).toHaveLength(SIZE.calls);
    expect(audit.duplicates).toEqual([]);
    expect(audit.unaccounted).toEqual([]);
    expect(audit.lostTextBacks).toEqual([]);
    expect(audit.lostFollowUps).toEqual([]);
    expect(audit.sentButAbsent).toEqual([]);
    expect(figures.dueFollowUps).toBeGreaterThan(0);
    expect(figures.followUps).toBe(figures.dueFollowUps);
    expect(standIn.counters().rateLimited).toBe(0);
    expect(refreshes.succeeded).toBe(locations.length);
    // Each refresh token reached HighLevel once: the instances that did not hold a token's refresh lease waited for it.
    expect(refreshes.refused).toBe(0);
    expect(await db.tokensNeedingReconnect()).toBe(0);
    expect((await db.failedJobs()).filter((job) => ['highlevel-event', 'textback', 'followup'].includes(job.kind))).toEqual([]);
  }, FULL ? 900_000 : 150_000);
});
