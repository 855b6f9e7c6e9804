// An in-process world for resilience tests: the stand-in HighLevel and the real app on loopback ports, one manual
// clock for both (sleeps advance it), locations installed through the real OAuth callback.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config.js';
import { composeApp, type SqliteComposedApp } from '../../../src/compose.js';
import { createManualClock, type ManualClock } from '../../../src/lib/clock.js';
import { generateKey } from '../../../src/lib/crypto.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { generateWebhookKeyPair, signWebhookBody } from '../../../src/highlevel/webhook-signer.js';
import { createStandIn, type StandIn, type StandInOptions } from '../../../src/sandbox/standin/index.js';
import { TUESDAY_11AM_NY } from '../../helpers/harness.js';

/** 'full' under `npm run resilience`, a reduced size under `npm test`. */
export const FULL = process.env.RESILIENCE_SIZE === 'full';

export interface World {
  app: SqliteComposedApp;
  standIn: StandIn;
  clock: ManualClock;
  appUrl: string;
  locations: string[];
  /** POSTs a body to the webhook route, signed with the world's key; resolves to the HTTP status. */
  post(body: string, headers?: Record<string, string>): Promise<number>;
  signed(body: string): Record<string, string>;
  /** Runs jobs until none of `kinds` is pending, moving the clock to the next due one (bounded). */
  settle(kinds?: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function createWorld(options: { locations: number; faults?: StandInOptions['faults']; random?: () => number }): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'textback-resilience-'));
  const clock = createManualClock(TUESDAY_11AM_NY);
  const keys = generateWebhookKeyPair();
  const standIn = createStandIn({ clock, clientId: 'app123-client', clientSecret: 'secret', rateLimit: { max: 100, intervalMs: 10_000 }, faults: options.faults, random: options.random });
  const highLevel = await standIn.listen(0);

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    NODE_ENV: 'production', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared',
    ENCRYPTION_KEY: generateKey(), DATABASE_PATH: join(dir, 'textback.sqlite'), HIGHLEVEL_API_URL: highLevel.url, PUBLIC_URL: appUrl, LOG_LEVEL: 'silent',
  });
  const app = composeApp({ config, clock, logger: silentLogger, sleep: async (ms) => { clock.advance(ms); }, webhookKeysPem: keys.publicKeyPem });
  server.on('request', app.handler);

  const company = standIn.createCompany({ id: 'company-res' });
  const locations: string[] = [];
  for (let i = 0; i < options.locations; i++) {
    const location = standIn.createLocation({ id: `loc-res-${i}`, companyId: company.id, name: `Shop ${i}`, timezone: 'America/New_York', numbers: [`+1555010${String(i).padStart(4, '0')}`] });
    const code = standIn.issueAuthCode({ userType: 'Location', locationId: location.id, companyId: company.id });
    const res = await fetch(`${appUrl}/oauth/callback?code=${code}`);
    if (res.status !== 200) throw new Error(`install of ${location.id} answered ${res.status}`);
    locations.push(location.id);
  }

  const signed = (body: string) => {
    const { header, signature } = signWebhookBody(body, keys.privateKey);
    return { 'content-type': 'application/json', [header]: signature };
  };
  return {
    app, standIn, clock, appUrl, locations, signed,
    async post(body, headers) {
      const res = await fetch(`${appUrl}/webhooks/highlevel`, { method: 'POST', body, headers: headers ?? signed(body) });
      await res.arrayBuffer();
      return res.status;
    },
    async settle(kinds = ['highlevel-event', 'textback', 'followup']) {
      const nextDue = app.db.prepare(`SELECT MIN(run_at) FROM jobs WHERE status = 'pending' AND kind IN (${kinds.map(() => '?').join(', ')})`).pluck();
      for (let round = 0; round < 400; round++) {
        await app.worker.runDue();
        const next = nextDue.get(...kinds) as number | null;
        if (next === null) return;
        if (next > clock.now()) clock.set(next);
      }
      throw new Error('jobs did not settle');
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.stop();
      await highLevel.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  }));
}
