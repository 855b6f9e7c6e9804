// The integration-test harness: the real composed app on a temp SQLite file (or, with TEST_ENGINE=postgres, on a
// PostgreSQL database of its own), a manual clock, signed webhooks, and nock standing in for HighLevel at
// https://hl.test (any request nock does not match fails the test).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import supertest from 'supertest';
import { loadConfig, type Config } from '../../src/config.js';
import { composeApp, type SqliteComposedApp } from '../../src/compose.js';
import { createManualClock, type ManualClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { generateKey } from '../../src/lib/crypto.js';
import { generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';
import { defaultSettings, mergeSettings, type SettingsPatch } from '../../src/workflow/settings.js';
import { createSecretBox } from '../../src/lib/crypto.js';
import { andThen, type Awaitable } from '../../src/lib/awaitable.js';
import { openDatabase } from '../../src/store/db.js';
import { openPostgresStorage } from '../../src/store/postgres/postgres-storage.js';
import { createSqliteStorage } from '../../src/store/sqlite-storage.js';
import { inboundEventKinds, priorityOf } from '../../src/jobs/registry.js';
import { deferStorage } from './deferred-storage.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { engineSql, type EngineSql } from './engine-sql.js';
import { checkRequests, loadOpenApiChecker, recordNockRequests, type RecordedRequest } from './openapi.js';

export const HL = 'https://hl.test';
/** Tuesday 6 January 2026, 11:00 in New York: inside business hours and every send window. */
export const TUESDAY_11AM_NY = Date.UTC(2026, 0, 6, 16, 0, 0);

/**
 * The engine the integration suite runs on: SQLite unless TEST_ENGINE=postgres (npm run test:postgres). Files that
 * still need SQLite say so with `describe.skipIf(engine === 'postgres')` or are listed in vitest.postgres.config.ts.
 */
export const engine: 'sqlite' | 'postgres' = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface Harness {
  /**
   * The composed app. `app.db` is the SQLite database on SQLite only: on PostgreSQL reading it throws (use `sql`,
   * or `app.storage`, which both engines have).
   */
  app: SqliteComposedApp;
  /** The engine this harness runs on. */
  engine: 'sqlite' | 'postgres';
  /** SQL of the test's own on either engine: `?` placeholders, every answer a promise. */
  sql: EngineSql;
  config: Config;
  clock: ManualClock;
  dir: string;
  logs: string[];
  http: ReturnType<typeof supertest>;
  /** POSTs a webhook signed with the harness's Ed25519 key (timestamp and webhookId added unless given). */
  webhook(payload: Record<string, unknown>, options?: { sign?: boolean; headers?: Record<string, string> }): supertest.Test;
  /** The signature header HighLevel would send with this raw body. */
  signatureFor(rawBody: string): Record<string, string>;
  /** POSTs any raw body to the webhook route, signed with the harness's key. */
  signedRaw(rawBody: string): supertest.Test;
  /** Runs every job due now (and any they schedule for now). */
  runJobs(): Promise<number>;
  /** Moves the clock and runs what fell due. */
  advance(ms: number): Promise<number>;
  /** An installed location with a valid token and a known profile (no HighLevel call needed to load it). */
  seedLocation(locationId: string, options?: { name?: string; timeZone?: string; numbers?: string[]; settings?: SettingsPatch; companyId?: string }): Awaitable<void>;
  /** Rewrites a location's stored settings JSON (what a test once did with SQLite's json_set), on either engine. */
  editSettings(locationId: string, edit: (settings: Record<string, any>) => void): Promise<void>;
  /** Makes every INSERT into `table` fail ('disk full') until the answered undo runs, on either engine. */
  refuseInserts(table: string): Promise<() => Promise<void>>;
  /** Answers the delivery checks that follow every HighLevel send (GET /conversations/messages/{id}), for tests that let time pass. */
  acceptDeliveryChecks(status?: string): void;
  /** A nock scope for HighLevel whose requests are recorded and checked against the OpenAPI specs at close(). */
  highLevel(): nock.Scope;
  /** Every request that reached a nock interceptor so far. */
  readonly recorded: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * `deferStores`: the app runs on the SQLite storage wrapped so that every store answers with a promise a turn later,
 * as PostgreSQL's do (test/helpers/deferred-storage.ts); `h.app.db` is the same database, for the test's own SQL.
 */
export async function createHarness(options: { env?: Record<string, string>; startAt?: number; deferStores?: boolean } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'textback-test-'));
  const clock = createManualClock(options.startAt ?? TUESDAY_11AM_NY);
  const keys = generateWebhookKeyPair();
  const encryptionKey = generateKey();
  // On PostgreSQL the config names the harness's database, so what reads DATABASE_URL (the CLI, a second instance
  // through openConfiguredStorage) finds the same one.
  const database: TestDatabase | null = engine === 'postgres' ? await createTestDatabase({ template: process.env.TEXTBACK_POSTGRES_TEMPLATE }) : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    HIGHLEVEL_CLIENT_ID: 'app123-client',
    HIGHLEVEL_CLIENT_SECRET: 'client-secret-value',
    HIGHLEVEL_SHARED_SECRET: 'shared-secret-value',
    ENCRYPTION_KEY: encryptionKey,
    DATABASE_PATH: join(dir, 'textback.sqlite'),
    HIGHLEVEL_API_URL: HL,
    PUBLIC_URL: 'https://textback.test',
    LOG_LEVEL: 'info',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const logger = createLogger({ level: 'info', destination });
  // No checkpoint thread per test app (about 56 ms of CPU each, some 25 s of the suite): test/integration/sqlite/
  // checkpointer.test.ts tests it, and every suite that starts the real server runs with it.
  const composeOptions = {
    config, clock, logger, sleep: async (ms: number) => { clock.advance(ms); }, webhookKeysPem: keys.publicKeyPem, checkpointThread: false,
  };
  let app: SqliteComposedApp;
  if (database) {
    const opened = await openPostgresStorage(database.url, createSecretBox(encryptionKey), {
      clock, appTwilioAccount: config.twilio, inboundEventKinds, priorityOf, pool: { max: 4 },
    });
    const composed = composeApp({ ...composeOptions, storage: opened.storage, closeStorage: opened.close });
    app = Object.defineProperty(composed, 'db', {
      get() { throw new Error('h.app.db is the SQLite database: on PostgreSQL use h.sql or h.app.storage (or skip this file there)'); },
    }) as SqliteComposedApp;
  } else if (options.deferStores) {
    const db = openDatabase(config.databasePath);
    const storage = createSqliteStorage(db, createSecretBox(encryptionKey), { clock, appTwilioAccount: config.twilio, inboundEventKinds, priorityOf });
    app = Object.assign(composeApp({ ...composeOptions, storage: deferStorage(storage), closeStorage: () => { db.close(); } }), { db });
  } else {
    app = composeApp(composeOptions);
  }

  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string; host?: string; hostname?: string; options?: { host?: string; hostname?: string; path?: string } }) => {
    const host = req.options?.hostname ?? req.options?.host ?? req.hostname ?? req.host ?? '';
    if (/^(127\.0\.0\.1|localhost|::1)(:\d+)?$/.test(host)) return; // the app itself, under supertest
    unmatched.push(`${req.method ?? ''} ${req.options?.host ?? ''}${req.path ?? req.options?.path ?? ''}`);
  };
  nock.emitter.on('no match', onNoMatch);
  const recorders: { requests: RecordedRequest[]; stop(): void }[] = [];
  const { tokens, locations } = app.storage;
  const sql = database ? engineSql({ postgres: database.open({ max: 2 }) }) : engineSql({ sqlite: app.db });
  const http = supertest(app.handler);

  let counter = 0;
  const harness: Harness = {
    app, engine, sql, config, clock, dir, logs, http,
    get recorded() { return recorders.flatMap((r) => r.requests); },
    webhook(payload, opts = {}) {
      const body = JSON.stringify({ timestamp: new Date(clock.now()).toISOString(), webhookId: `wh-${++counter}-${Math.random().toString(36).slice(2)}`, ...payload });
      const req = http.post('/webhooks/highlevel').set('content-type', 'application/json');
      if (opts.sign !== false) {
        const { header, signature } = signWebhookBody(body, keys.privateKey);
        req.set(header, signature);
      }
      for (const [name, value] of Object.entries(opts.headers ?? {})) req.set(name, value);
      return req.send(body);
    },
    signatureFor(rawBody) {
      const { header, signature } = signWebhookBody(rawBody, keys.privateKey);
      return { [header]: signature };
    },
    signedRaw(rawBody) {
      const { header, signature } = signWebhookBody(rawBody, keys.privateKey);
      return http.post('/webhooks/highlevel').set('content-type', 'application/json').set(header, signature).send(rawBody);
    },
    runJobs: () => app.worker.runDue(),
    async advance(ms) {
      clock.advance(ms);
      return app.worker.runDue();
    },
    // Through the app's own stores: at once on SQLite (callers that do not await still see the rows), a promise on PostgreSQL.
    seedLocation(locationId, opts = {}) {
      const now = clock.now();
      return andThen(locations.install({ locationId, companyId: opts.companyId ?? 'company-1', settings: mergeSettings(defaultSettings(), opts.settings ?? {}) }, now), () =>
        andThen(locations.saveProfile(locationId, { name: opts.name ?? 'Acme Plumbing', timeZone: opts.timeZone ?? 'America/New_York', phone: opts.numbers?.[0] ?? '+15550000000', numbers: opts.numbers ?? ['+15550000000'] }, now), () =>
          tokens.save({ ownerId: locationId, ownerType: 'Location', companyId: opts.companyId ?? 'company-1', accessToken: `token-${locationId}`, refreshToken: `refresh-${locationId}`, expiresAt: now + 365 * 86_400_000 }, now)));
    },
    async editSettings(locationId, edit) {
      const settings = JSON.parse(String(await sql.value('SELECT settings FROM locations WHERE location_id = ?', locationId))) as Record<string, any>;
      edit(settings);
      await sql.run('UPDATE locations SET settings = ? WHERE location_id = ?', JSON.stringify(settings), locationId);
    },
    async refuseInserts(table) {
      if (engine === 'sqlite') {
        await sql.run(`CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
        return async () => { await sql.run(`DROP TRIGGER refuse_${table}`); };
      }
      await sql.run(`CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
      await sql.run(`CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_insert()`);
      return async () => { await sql.run(`DROP TRIGGER refuse_${table} ON ${table}`); await sql.run('DROP FUNCTION refuse_insert()'); };
    },
    acceptDeliveryChecks(status = 'delivered') {
      harness.highLevel().persist().get(/^\/conversations\/messages\/[^/]+$/)
        .reply(200, (uri) => ({ message: { id: uri.split('/').pop(), status, direction: 'outbound', messageType: 'TYPE_SMS' } }));
    },
    highLevel() {
      const scope = nock(HL);
      recorders.push(recordNockRequests(scope));
      return scope;
    },
    async close() {
      nock.emitter.off('no match', onNoMatch);
      const recorded = harness.recorded;
      for (const recorder of recorders) recorder.stop();
      const pending = nock.pendingMocks();
      nock.cleanAll();
      try {
        await app.stop();
      } finally {
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
      if (unmatched.length) throw new Error(`requests nock did not expect: ${unmatched.join(', ')}`);
      const problems = checkRequests(loadOpenApiChecker(), recorded);
      if (problems.length) throw new Error(`requests that break HighLevel's OpenAPI specs:\n${problems.join('\n')}`);
      void pending;
    },
  };
  return harness;
}

/** A missed-call webhook body in HighLevel's shape (payloads/inbound-call-voicemail.json). */
export function missedCall(input: { locationId: string; contactId: string; from?: string; messageId?: string; status?: string; direction?: string }) {
  return {
    type: 'InboundMessage',
    locationId: input.locationId,
    attachments: [],
    contactId: input.contactId,
    conversationId: `conv-${input.contactId}`,
    dateAdded: undefined as string | undefined,
    direction: input.direction ?? 'inbound',
    messageType: 'CALL',
    messageId: input.messageId ?? `call-${Math.random().toString(36).slice(2)}`,
    status: input.status ?? 'voicemail',
    ...(input.from ? { from: input.from } : {}),
  };
}

/** An inbound SMS webhook body in HighLevel's shape (payloads/inbound-sms.json). */
export function inboundSms(input: { locationId: string; contactId: string; from: string; body: string; messageId?: string }) {
  return {
    type: 'InboundMessage',
    locationId: input.locationId,
    attachments: [],
    body: input.body,
    contactId: input.contactId,
    contentType: 'text/plain',
    conversationId: `conv-${input.contactId}`,
    direction: 'inbound',
    messageType: 'SMS',
    messageId: input.messageId ?? `sms-${Math.random().toString(36).slice(2)}`,
    status: 'delivered',
    from: input.from,
    to: '+15550000000',
  };
}
