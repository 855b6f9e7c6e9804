// `npm run textback -- migrate-to-postgres --to <url>` through the CLI runner: a SQLite database seeded through the
// app's stores is copied into an empty PostgreSQL database (every table's count equal, sealed secrets still open with
// the key, ids continuing after the copied ones); a second run into the now filled database, a run while the SQLite
// file is in use and a copy whose counts do not match are refused and leave nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { runCli } from '../../../src/cli/main.js';
import type { CliContext } from '../../../src/cli/context.js';
import { createManualClock, HOUR } from '../../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../../src/lib/crypto.js';
import { openDatabase, type Db } from '../../../src/store/db.js';
import { createLocationStore } from '../../../src/store/locations.js';
import { createTokenStore } from '../../../src/store/tokens.js';
import { createTwilioAccounts } from '../../../src/store/twilio-accounts.js';
import { createCallLog } from '../../../src/store/calls.js';
import { createSendLedger } from '../../../src/store/ledger.js';
import { createSuppressions } from '../../../src/store/suppressions.js';
import { createAuditLog } from '../../../src/store/audit.js';
import { createReplyLog } from '../../../src/store/replies.js';
import { createWebhookReceipts } from '../../../src/store/webhook-receipts.js';
import { createJobQueue } from '../../../src/store/job-queue.js';
import { copySqliteToPostgres } from '../../../src/store/postgres/copy-from-sqlite.js';
import { createPostgresTokenStore } from '../../../src/store/postgres/tokens.js';
import { createPostgresTwilioAccounts } from '../../../src/store/postgres/twilio-accounts.js';
import { defaultSettings } from '../../../src/workflow/settings.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';

const T0 = Date.UTC(2026, 0, 6, 16, 0, 0);
const KEY = generateKey();
const box = createSecretBox(KEY);
const LOCATIONS = ['loc-a', 'loc-b', 'loc-c'];

/** Installs, tokens, a Twilio account, calls with their texts, replies, suppressions, audit entries, jobs, receipts. */
async function seed(db: Db): Promise<void> {
  const locations = createLocationStore(db);
  const tokens = createTokenStore(db, box);
  const calls = createCallLog(db);
  const ledger = createSendLedger(db);
  const queue = createJobQueue(db);
  let now = T0;
  for (const [i, locationId] of LOCATIONS.entries()) {
    await locations.install({ locationId, companyId: 'company-1', settings: defaultSettings() }, now);
    await locations.saveProfile(locationId, { name: `Business ${i}`, timeZone: 'America/New_York', phone: `+1555000000${i}`, numbers: [`+1555000000${i}`] }, now);
    await tokens.save({ ownerId: locationId, ownerType: 'Location', companyId: 'company-1', accessToken: `access-${locationId}`, refreshToken: `refresh-${locationId}`, expiresAt: now + HOUR }, now);
    for (let c = 0; c < 40; c += 1) {
      now += 1_000;
      const phone = `+1212555${String(1000 + c)}`;
      const { call } = await calls.record({ locationId, callKey: `call-${c}`, contactId: `contact-${c}`, phone, status: 'voicemail', missed: true, occurredAt: now, decision: 'texted' }, now);
      await ledger.reserve({ locationId, sendKey: `textback:${locationId}:${call.id}`, kind: 'textback', callId: call.id, contactId: `contact-${c}`, phone, body: 'Sorry we missed you. Reply STOP to opt out.', segments: 1, provider: 'highlevel', checkSuppression: true }, now);
      await queue.enqueue({ kind: 'followup', payload: { callId: call.id }, runAt: now + 2 * HOUR, locationId, subject: phone, dedupeKey: `followup:${call.id}` }, now);
    }
  }
  await createTwilioAccounts(db, box, { appAccount: null }).save('loc-b', { credentials: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-secret' }, messagingServiceSid: null, fromNumber: '+15550000001' }, now);
  await createReplyLog(db).record({ locationId: 'loc-a', replyKey: 'sms-1', contactId: 'contact-1', phone: '+12125551001', meaning: 'opt-out', receivedAt: now });
  await createSuppressions(db).suppress({ locationId: 'loc-a', phone: '+12125551001', source: 'keyword', actor: 'caller' }, now);
  await createAuditLog(db).record({ locationId: 'loc-a', actor: 'system', action: 'suppression.add', detail: { phone: '***1001' } }, now);
  await createWebhookReceipts(db).remember('webhook:wh-1', now);
}

describe.runIf(hasPostgres)('migrate-to-postgres', () => {
  let dir: string;
  let databasePath: string;
  const databases: TestDatabase[] = [];
  let out: string[] = [];
  let err: string[] = [];
  const ctx = (): CliContext => ({
    out: (t) => out.push(t), err: (t) => err.push(t), clock: createManualClock(T0), fetch: globalThis.fetch,
    loadConfig: () => loadConfig({ NODE_ENV: 'test', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared', ENCRYPTION_KEY: KEY, DATABASE_PATH: databasePath }),
  });
  const migrate = async (url: string) => { out = []; err = []; return runCli(['migrate-to-postgres', '--to', url], ctx()); };
  const newDatabase = async (options: { migrate?: boolean } = {}) => { const database = await createTestDatabase(options); databases.push(database); return database; };
  const sqliteCounts = (): Record<string, number> => {
    const db = openDatabase(databasePath);
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'`).pluck().all() as string[];
      return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number]));
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'textback-migrate-pg-'));
    databasePath = join(dir, 'textback.sqlite');
    const db = openDatabase(databasePath);
    await seed(db);
    db.close();
  });
  afterAll(async () => {
    for (const database of databases) await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when copied into an empty database, then every table has the same count, sealed secrets open with the key, and new ids follow the copied ones; a second run is refused', async () => {
    const database = await newDatabase();
    const expected = sqliteCounts();
    expect(await migrate(database.url), err.join('\n')).toBe(0);

    const pg = database.open();
    for (const [table, count] of Object.entries(expected)) {
      const { rows } = await pg.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`).catch(() => ({ rows: [{ n: -1 }] }));
      // A table this build's PostgreSQL schema lacks may only be an empty one.
      expect(rows[0].n === count || (rows[0].n === -1 && count === 0), `${table}: ${rows[0].n} in PostgreSQL, ${count} in SQLite`).toBe(true);
    }
    expect(expected).toMatchObject({ locations: 3, tokens: 3, calls: 120, messages: 120, jobs: 120, twilio_accounts: 1, suppressions: 1 });
    const printed = out.join('\n');
    expect(printed).toMatch(/^calls\s+120\s+120$/m);
    expect(printed).toMatch(/every table's row count matches/);

    // Copied as they were: the same ENCRYPTION_KEY opens them through the PostgreSQL stores.
    const token = await createPostgresTokenStore(pg, box).get('loc-b');
    expect(token?.accessToken).toBe('access-loc-b');
    expect(token?.refreshToken).toBe('refresh-loc-b');
    expect(await createPostgresTwilioAccounts(pg, box, { appAccount: null }).ownCredentials('loc-b')).toMatchObject({ authToken: 'twilio-secret' });
    const { rows: [sealed] } = await pg.pool.query<{ access_token: string }>(`SELECT access_token FROM tokens WHERE owner_id = 'loc-a'`);
    expect(sealed.access_token).toMatch(/^v1\./);
    expect(() => createSecretBox(generateKey()).open(sealed.access_token, 'loc-a')).toThrow();

    const { rows: [next] } = await pg.pool.query<{ id: number; top: number }>(`
      INSERT INTO calls (location_id, call_key, status, missed, occurred_at, decision, decision_at)
      VALUES ('loc-a', 'call-new', 'voicemail', 1, 0, 'texted', 0) RETURNING id, (SELECT MAX(id) FROM calls) AS top`);
    expect(next.id).toBe(121);
    await pg.pool.query(`DELETE FROM calls WHERE call_key = 'call-new'`);

    expect(await migrate(database.url)).toBe(1);
    expect(err.join('\n')).toMatch(/not empty \(rows in .*calls/);
    const { rows: [after] } = await pg.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM calls');
    expect(after.n).toBe(120);
  });

  it('when the SQLite database is open elsewhere (the app still running), then the copy is refused and the target stays empty', async () => {
    const database = await newDatabase();
    const running = openDatabase(databasePath);
    try {
      expect(await migrate(database.url)).toBe(1);
      expect(err.join('\n')).toMatch(/is in use: stop the app/);
    } finally {
      running.close();
    }
    const pg = database.open();
    const { rows } = await pg.pool.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'calls'`);
    expect(rows).toHaveLength(0);
  });

  it('when a table\'s count differs after the copy, then it fails and nothing is kept', async () => {
    const database = await newDatabase({ migrate: true });
    const pg = database.open();
    // A row PostgreSQL silently drops: the copy goes through but its count is one short.
    await pg.pool.query(`
      CREATE FUNCTION drop_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
      CREATE TRIGGER drop_one BEFORE INSERT ON jobs FOR EACH ROW WHEN (NEW.dedupe_key = 'followup:7') EXECUTE FUNCTION drop_one();`);
    expect(await migrate(database.url)).toBe(1);
    expect(err.join('\n')).toContain('row counts differ after the copy (jobs: 120 in SQLite, 119 in PostgreSQL)');
    const { rows } = await pg.pool.query<{ calls: number; tokens: number; jobs: number }>(`
      SELECT (SELECT COUNT(*) FROM calls) AS calls, (SELECT COUNT(*) FROM tokens) AS tokens, (SELECT COUNT(*) FROM jobs) AS jobs`);
    expect(rows[0]).toEqual({ calls: 0, tokens: 0, jobs: 0 });
  });

  it('when a table is copied in many small batches, then it arrives whole, in the same rows', async () => {
    const database = await newDatabase();
    const pg = database.open();
    const sqlite = openDatabase(databasePath);
    try {
      const report = await copySqliteToPostgres(sqlite, pg, { batchRows: 7 });
      expect(report.tables.find((t) => t.table === 'messages')).toEqual({ table: 'messages', sqliteRows: 120, postgresRows: 120 });
      const keys = (sqlite.prepare('SELECT id, send_key FROM messages ORDER BY id').all() as { id: number; send_key: string }[]);
      const { rows } = await pg.pool.query<{ id: number; send_key: string }>('SELECT id, send_key FROM messages ORDER BY id');
      expect(rows).toEqual(keys);
    } finally {
      sqlite.close();
    }
  });

  it('when --to is missing or not a PostgreSQL URL, then it exits 2 naming the problem', async () => {
    out = []; err = [];
    expect(await runCli(['migrate-to-postgres'], ctx())).toBe(2);
    expect(err.join('\n')).toContain('--to is required');
    expect(await migrate('mysql://db/textback')).toBe(2);
    expect(err.join('\n')).toContain('--to must be a PostgreSQL URL');
  });
});
