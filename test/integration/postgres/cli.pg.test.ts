// The operations CLI with DATABASE_URL set: its commands open PostgreSQL through the app's storage factory (no SQLite
// file is made) and do there what they do on SQLite: export, suppress, erase, unsuppress, assign/unassign a sender,
// retention, and doctor with PostgreSQL's health check.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { runCli } from '../../../src/cli/main.js';
import type { CliContext } from '../../../src/cli/context.js';
import { createManualClock, DAY, HOUR } from '../../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../../src/lib/crypto.js';
import type { Postgres } from '../../../src/store/postgres/pool.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';
import { emptyPostgres } from '../../helpers/store-engines.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const SENDER = '+15125550100';
const T0 = Date.UTC(2026, 0, 6, 16, 0, 0);
const KEY = generateKey();

describe.runIf(hasPostgres)('the CLI on PostgreSQL', () => {
  let database: TestDatabase;
  let pg: Postgres;
  let highLevel: Server;
  let highLevelUrl: string;
  let dir: string;
  let env: Record<string, string>;
  let out: string[];
  let err: string[];
  let clock: ReturnType<typeof createManualClock>;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: true });
    pg = database.open({ max: 2 });
    highLevel = createServer((_req, res) => { res.writeHead(404, { connection: 'close' }).end(); });
    await new Promise<void>((done) => highLevel.listen(0, '127.0.0.1', done));
    highLevelUrl = `http://127.0.0.1:${(highLevel.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => highLevel?.close(done));
    await database?.drop();
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'textback-cli-pg-'));
    env = {
      NODE_ENV: 'test', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared',
      ENCRYPTION_KEY: KEY, DATABASE_PATH: join(dir, 'textback.sqlite'), DATABASE_URL: database.url, HIGHLEVEL_API_URL: highLevelUrl,
    };
    out = [];
    err = [];
    clock = createManualClock(T0);
    await emptyPostgres(pg);
    await seed();
  });
  afterEach(() => {
    // Nothing went to the SQLite file: every command used PostgreSQL.
    expect(existsSync(env.DATABASE_PATH)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  const ctx = (): CliContext => ({ out: (t) => out.push(t), err: (t) => err.push(t), loadConfig: () => loadConfig(env), clock, fetch: globalThis.fetch });
  const cli = async (...argv: string[]) => {
    const code = await runCli(argv, ctx());
    return code;
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await pg.pool.query<{ n: string }>(sql, params)).rows[0].n);
  const audit = async () => (await pg.pool.query<{ locationId: string | null; actor: string; action: string; detail: string }>(
    'SELECT location_id AS "locationId", actor, action, detail FROM audit_log ORDER BY id')).rows;

  /** An installed location with a sealed token, a texted-back call from CALLER with a pending follow-up, and a reply. */
  async function seed(): Promise<void> {
    const q = (sql: string, params: unknown[]) => pg.pool.query(sql, params);
    await q(`INSERT INTO locations (location_id, company_id, status, name, settings, installed_at, updated_at) VALUES ($1, 'company-1', 'installed', 'Acme', '{}', $2, $2)`, [LOC, T0]);
    const box = createSecretBox(KEY);
    await q(`INSERT INTO tokens (owner_id, owner_type, company_id, access_token, refresh_token, expires_at, updated_at) VALUES ($1, 'Location', 'company-1', $2, $3, $4, $5)`,
      [LOC, box.seal('access-token', LOC), box.seal('refresh-token', LOC), T0 + DAY, T0]);
    const call = await q(`INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at, followup, followup_at)
      VALUES ($1, 'call-1', 'contact-1', $2, 'voicemail', 1, $3, 'texted', $3, 'pending', $4) RETURNING id`, [LOC, CALLER, T0, T0 + 2 * HOUR]);
    await q(`INSERT INTO messages (location_id, send_key, kind, call_id, contact_id, phone, body, status, provider, created_at, updated_at)
      VALUES ($1, 'textback:1', 'textback', $2, 'contact-1', $3, 'Hi, this is "Acme". Reply STOP to opt out.', 'delivered', 'highlevel', $4, $4)`, [LOC, call.rows[0].id, CALLER, T0]);
    await q(`INSERT INTO replies (location_id, reply_key, contact_id, phone, meaning, received_at) VALUES ($1, 'sms-1', 'contact-1', $2, 'reply', $3)`, [LOC, CALLER, T0 + HOUR]);
    await q(`INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, created_at) VALUES ('followup', $1, $2, 'followup:1', '{}', 'pending', $3, $4)`,
      [LOC, CALLER, T0 + 2 * HOUR, T0]);
  }

  it('when a number is exported, then its records come from PostgreSQL as JSON and the export is audited there', async () => {
    expect(await cli('export', '--location', LOC, '--phone', CALLER), err.join('\n')).toBe(0);
    const data = JSON.parse(out.join(''));
    expect(data).toMatchObject({ locationId: LOC, phone: CALLER, suppression: { suppressed: false } });
    expect(data.calls).toHaveLength(1);
    expect(data.messages[0].body).toBe('Hi, this is "Acme". Reply STOP to opt out.');
    expect(data.followUps).toEqual([{ callId: data.calls[0].id, state: 'pending', at: T0 + 2 * HOUR }]);
    expect(await audit()).toEqual([expect.objectContaining({ locationId: LOC, actor: 'cli', action: 'data.export' })]);
    expect(await cli('export', '--location', 'loc-typo', '--phone', CALLER)).toBe(1);
    expect(err.join('\n')).toContain('location loc-typo is not known');
  });

  it('when a number is suppressed, erased and lifted, then PostgreSQL holds the outcome of each step and every step is audited', async () => {
    expect(await cli('suppress', '--location', LOC, '--phone', CALLER, '--reason', 'asked by phone'), err.join('\n')).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'pending'`)).toBe(0);
    expect(await cli('erase', '--location', LOC, '--phone', CALLER), err.join('\n')).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ erased: { calls: 1, messages: 1, replies: 1, jobs: 1 }, suppression: { suppressed: true, source: 'manual' } });
    for (const table of ['calls', 'messages', 'replies', 'jobs']) expect(await count(`SELECT COUNT(*) AS n FROM ${table}`), table).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM suppressions WHERE phone = $1', [CALLER])).toBe(1);
    expect(await cli('unsuppress', '--location', LOC, '--phone', CALLER, '--reason', 'customer asked to be texted again'), err.join('\n')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM suppressions')).toBe(0);
    expect((await audit()).map((entry) => `${entry.actor}:${entry.action}`)).toEqual(['cli:suppression.add', 'cli:data.erase', 'cli:suppression.lift']);
  });

  it('when a sender is assigned and unassigned, then the assignment is kept in PostgreSQL meanwhile', async () => {
    expect(await cli('assign-sender', LOC, SENDER), err.join('\n')).toBe(0);
    expect(out.join('\n')).toContain(`${SENDER} is now assigned to ${LOC}`);
    expect(await count('SELECT COUNT(*) AS n FROM app_senders')).toBe(1);
    expect(await cli('unassign-sender', LOC, SENDER), err.join('\n')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM app_senders')).toBe(0);
    expect((await audit()).map((entry) => entry.action)).toEqual(['app-sender.assign', 'app-sender.unassign']);
  });

  it('when retention runs, then a dry run deletes nothing and the real run purges PostgreSQL and is audited', async () => {
    clock.set(T0 + 400 * DAY);
    expect(await cli('retention', '--dry-run'), err.join('\n')).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ dryRun: true, expired: { calls: 1, messages: 1, replies: 1 } });
    expect(await count('SELECT COUNT(*) AS n FROM calls')).toBe(1);
    out = [];
    expect(await cli('retention'), err.join('\n')).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ dryRun: false, expired: { calls: 1, messages: 1, replies: 1 } });
    expect(await count('SELECT COUNT(*) AS n FROM calls')).toBe(0);
    expect(await audit()).toEqual([expect.objectContaining({ actor: 'cli', action: 'retention.run', locationId: null })]);
  });

  describe('doctor', () => {
    it('when PostgreSQL answers and the key opens its tokens, then the database is checked with PostgreSQL\'s health check, backups are left to pg_dump, and it exits 0', async () => {
      env.DATABASE_URL = database.url.replace('postgres://postgres@', 'postgres://postgres:not-shown@');
      expect(await cli('doctor'), out.join('\n')).toBe(0);
      const report = out.join('\n');
      expect(report).toMatch(/^ok\s+config: .*database PostgreSQL postgres:\/\/postgres:\*\*\*@/m);
      expect(report).toMatch(/^ok\s+database: PostgreSQL answers and is migrated \(schema version \d+\); health check ok/m);
      expect(report).toMatch(/^ok\s+encryption key: opens the stored Location token/m);
      expect(report).toMatch(/^ok\s+installations: none needs reconnecting/m);
      expect(report).toMatch(/^skip\s+backups: .*pg_dump/m);
      expect(report).not.toContain('not-shown');
    });

    it('when ENCRYPTION_KEY cannot open the tokens stored in PostgreSQL, then that check fails and it exits 1', async () => {
      env.ENCRYPTION_KEY = generateKey();
      expect(await cli('doctor')).toBe(1);
      expect(out.join('\n')).toMatch(/^FAIL\s+encryption key: ENCRYPTION_KEY cannot open the stored tokens/m);
    });

    it('when PostgreSQL cannot be reached, then the database check fails naming it (without its password) and it exits 1', async () => {
      // Nothing listens on port 1: the connection is refused, as when the server is down.
      env.DATABASE_URL = 'postgres://textback:secret-pw@127.0.0.1:1/textback';
      expect(await cli('doctor')).toBe(1);
      const report = out.join('\n');
      expect(report).toMatch(/^FAIL\s+database: PostgreSQL postgres:\/\/textback:\*\*\*@127\.0\.0\.1:1\/textback: /m);
      expect(report).not.toContain('secret-pw');
    });
  });
});
