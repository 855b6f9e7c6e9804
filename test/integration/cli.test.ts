// The operations CLI against a database of its own, on the engine the suite runs on (a SQLite file, or with
// TEST_ENGINE=postgres a PostgreSQL database named by DATABASE_URL): each command through runCli (exit codes, output,
// audit entries, read back with SQL both engines answer), and the compiled entry point in a real child process.
// backup and restore work on the SQLite file only: test/integration/sqlite/cli-sqlite-only.test.ts, cli-restore.test.ts.
import { createServer, type Server } from 'node:http';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createManualClock, DAY, HOUR } from '../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../src/lib/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import type { Postgres } from '../../src/store/postgres/pool.js';
import { COMMANDS, runCli } from '../../src/cli/main.js';
import { openStorage, type CliContext } from '../../src/cli/context.js';
import { EXPORT_CSV_COLUMNS } from '../../src/store/data-export-csv.js';
import { engine } from '../helpers/harness.js';
import { engineSql, type EngineSql } from '../helpers/engine-sql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { emptyPostgres } from '../helpers/store-engines.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const SENDER = '+15125550100';
const T0 = Date.UTC(2026, 0, 6, 16, 0, 0);
const KEY = generateKey();

let dir: string;
let env: Record<string, string>;
let out: string[];
let err: string[];
let clock: ReturnType<typeof createManualClock>;
let highLevel: Server;
let highLevelUrl: string;
/** On PostgreSQL: the file's database (a copy of the migrated template), emptied before each test, and a pool on it. */
let database: TestDatabase | undefined;
let pg: Postgres | undefined;

beforeAll(async () => {
  highLevel = createServer((_req, res) => { res.writeHead(404, { connection: 'close' }).end(); });
  await new Promise<void>((done) => highLevel.listen(0, '127.0.0.1', done));
  highLevelUrl = `http://127.0.0.1:${(highLevel.address() as AddressInfo).port}`;
  if (engine === 'postgres') {
    const template = process.env.TEXTBACK_POSTGRES_TEMPLATE;
    database = await createTestDatabase(template ? { template } : { migrate: true });
    pg = database.open({ max: 2 });
  }
});
afterAll(async () => {
  await new Promise((done) => highLevel.close(done));
  await database?.drop();
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'textback-cli-'));
  env = {
    NODE_ENV: 'test', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared',
    ENCRYPTION_KEY: KEY, DATABASE_PATH: join(dir, 'textback.sqlite'), HIGHLEVEL_API_URL: highLevelUrl,
    // The configuration refuses BACKUP_DIR (SQLite's file backups) beside DATABASE_URL.
    ...(database ? { DATABASE_URL: database.url } : { BACKUP_DIR: join(dir, 'backups') }),
  };
  out = [];
  err = [];
  clock = createManualClock(T0);
  if (pg) await emptyPostgres(pg);
  await seed();
});
afterEach(() => {
  // On PostgreSQL every command used the database DATABASE_URL names: none made the SQLite file.
  if (engine === 'postgres') expect(existsSync(join(dir, 'textback.sqlite'))).toBe(false);
  rmSync(dir, { recursive: true, force: true });
});

const ctx = (): CliContext => ({ out: (t) => out.push(t), err: (t) => err.push(t), loadConfig: () => loadConfig(env), clock, fetch: globalThis.fetch });
const cli = (...argv: string[]) => runCli(argv, ctx());
/** The test's own SQL on the CLI's database: the SQLite file (opened for this work only) or the PostgreSQL pool. */
const withSql = async <T>(work: (sql: EngineSql) => Promise<T>): Promise<T> => {
  if (pg) return work(engineSql({ postgres: pg }));
  const db = openDatabase(env.DATABASE_PATH);
  try { return await work(engineSql({ sqlite: db })); } finally { db.close(); }
};
const rows = <T = Record<string, unknown>>(text: string, ...params: unknown[]) => withSql((sql) => sql.all<T>(text, ...params));
const count = async (text: string, ...params: unknown[]) => Number(await withSql((sql) => sql.value(text, ...params)));
const audit = () => rows<{ locationId: string | null; actor: string; action: string; detail: string }>('SELECT location_id AS locationId, actor, action, detail FROM audit_log ORDER BY id');

/** An installed location with a sealed token, one texted-back call from CALLER with a pending follow-up, and a reply. */
async function seed(): Promise<void> {
  await withSql(async (sql) => {
    await sql.run(`INSERT INTO locations (location_id, company_id, status, name, settings, installed_at, updated_at) VALUES (?, 'company-1', 'installed', 'Acme', '{}', ?, ?)`, LOC, T0, T0);
    const box = createSecretBox(KEY);
    await sql.run(`INSERT INTO tokens (owner_id, owner_type, company_id, access_token, refresh_token, expires_at, updated_at) VALUES (?, 'Location', 'company-1', ?, ?, ?, ?)`,
      LOC, box.seal('access-token', LOC), box.seal('refresh-token', LOC), T0 + DAY, T0);
    const call = await sql.value(`INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at, followup, followup_at) VALUES (?, 'call-1', 'contact-1', ?, 'voicemail', 1, ?, 'texted', ?, 'pending', ?) RETURNING id`,
      LOC, CALLER, T0, T0, T0 + 2 * HOUR);
    await sql.run(`INSERT INTO messages (location_id, send_key, kind, call_id, contact_id, phone, body, status, provider, created_at, updated_at) VALUES (?, 'textback:1', 'textback', ?, 'contact-1', ?, 'Hi, this is "Acme". Reply STOP to opt out.', 'delivered', 'highlevel', ?, ?)`,
      LOC, call, CALLER, T0, T0);
    await sql.run(`INSERT INTO replies (location_id, reply_key, contact_id, phone, meaning, received_at) VALUES (?, 'sms-1', 'contact-1', ?, 'reply', ?)`, LOC, CALLER, T0 + HOUR);
    await sql.run(`INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, created_at) VALUES ('followup', ?, ?, 'followup:1', '{}', 'pending', ?, ?)`, LOC, CALLER, T0 + 2 * HOUR, T0);
  });
}

describe('usage', () => {
  it('when asked for help, then every command is listed and the exit code is 0; without a command or with an unknown one, 2', async () => {
    expect(await cli('--help')).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(out.join('\n')).toContain(name);
    expect(await cli()).toBe(2);
    expect(await cli('frobnicate')).toBe(2);
    expect(err.join('\n')).toContain('unknown command "frobnicate"');
  });

  it('when a command is given --help, then its usage is printed and nothing runs', async () => {
    expect(await cli('erase', '--help')).toBe(0);
    expect(out.join('\n')).toContain('erase --location <locationId> --phone <number>');
    expect(await count('SELECT COUNT(*) FROM calls')).toBe(1);
  });

  it.each([
    [['export', '--phone', CALLER], '--location is required'],
    [['export', '--location', LOC, '--phone', '12'], 'not a valid phone number'],
    [['export', '--location', LOC, '--phone', CALLER, '--format', 'xml'], '--format must be json or csv'],
    [['erase', '--location', LOC, '--phone', CALLER, '--force'], "Unknown option '--force'"],
    [['unsuppress', '--location', LOC, '--phone', CALLER], '--reason is required'],
  ])('when %j is run, then it exits 2 naming the problem and showing the usage', async (argv, problem) => {
    expect(await cli(...argv)).toBe(2);
    expect(err.join('\n')).toContain(problem);
    expect(err.join('\n')).toContain('Usage: npm run textback --');
  });

  it('when the configuration is invalid, then it exits 1 naming the variable', async () => {
    env.ENCRYPTION_KEY = 'short';
    expect(await cli('export', '--location', LOC, '--phone', CALLER)).toBe(1);
    expect(err.join('\n')).toContain('config error: ENCRYPTION_KEY');
  });
});

describe('export and erase', () => {
  it('when a number is exported, then its records are printed as JSON and the export is audited as the cli', async () => {
    expect(await cli('export', '--location', LOC, '--phone', '(212) 555-0147')).toBe(0);
    const data = JSON.parse(out.join(''));
    expect(data).toMatchObject({ locationId: LOC, phone: CALLER, suppression: { suppressed: false } });
    expect(data.calls).toHaveLength(1);
    expect(data.messages[0].body).toBe('Hi, this is "Acme". Reply STOP to opt out.');
    expect(data.followUps).toEqual([{ callId: data.calls[0].id, state: 'pending', at: T0 + 2 * HOUR }]);
    const entries = await audit();
    expect(entries).toEqual([expect.objectContaining({ locationId: LOC, actor: 'cli', action: 'data.export' })]);
    expect(entries[0].detail).toContain('***0147');
    expect(entries[0].detail).not.toContain('2125550147');
  });

  it('when exported as CSV, then the header row comes first and quotes in a body are doubled', async () => {
    expect(await cli('export', '--location', LOC, '--phone', CALLER, '--format', 'csv')).toBe(0);
    const text = out.join('');
    expect(text.split('\r\n')[0]).toBe(EXPORT_CSV_COLUMNS.join(','));
    expect(text).toContain('"Hi, this is ""Acme"". Reply STOP to opt out."');
  });

  it('when the location is unknown, then it exits 1 and prints nothing', async () => {
    expect(await cli('export', '--location', 'loc-typo', '--phone', CALLER)).toBe(1);
    expect(err.join('\n')).toContain('location loc-typo is not known');
    expect(out).toEqual([]);
  });

  it('when a suppressed number is erased, then its records and jobs go, the suppression stays, and the erasure is audited', async () => {
    expect(await cli('suppress', '--location', LOC, '--phone', CALLER)).toBe(0);
    out = [];
    expect(await cli('erase', '--location', LOC, '--phone', CALLER)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ erased: { calls: 1, messages: 1, replies: 1, jobs: 1, lookups: 0 }, suppression: { suppressed: true, source: 'manual' } });
    for (const table of ['calls', 'messages', 'replies', 'jobs']) expect(await count(`SELECT COUNT(*) FROM ${table}`), table).toBe(0);
    expect(await count('SELECT COUNT(*) FROM suppressions WHERE phone = ?', CALLER)).toBe(1);
    expect((await audit()).map((entry) => `${entry.actor}:${entry.action}`)).toEqual(['cli:suppression.add', 'cli:data.erase']);
  });
});

describe('suppress and unsuppress', () => {
  it('when a number is suppressed, then it is listed with source manual, its pending follow-up is cancelled, and again is a no-op', async () => {
    expect(await cli('suppress', '--location', LOC, '--phone', CALLER, '--reason', 'asked by phone')).toBe(0);
    expect(out.join('\n')).toContain('***0147 is now suppressed');
    expect(await rows('SELECT action, source, reason, actor FROM suppression_history'))
      .toEqual([{ action: 'suppress', source: 'manual', reason: 'asked by phone', actor: 'cli' }]);
    expect(await count(`SELECT COUNT(*) FROM jobs WHERE status = 'pending'`)).toBe(0);
    expect(await cli('suppress', '--location', LOC, '--phone', CALLER)).toBe(0);
    expect(out.join('\n')).toContain('was already suppressed');
  });

  it('when a suppression is lifted with a reason, then it is gone and the reason is kept; lifting it again exits 1', async () => {
    await cli('suppress', '--location', LOC, '--phone', CALLER);
    expect(await cli('unsuppress', '--location', LOC, '--phone', CALLER, '--reason', 'customer asked to be texted again')).toBe(0);
    expect(await count('SELECT COUNT(*) FROM suppressions')).toBe(0);
    expect(await rows(`SELECT reason, actor FROM suppression_history WHERE action = 'lift'`))
      .toEqual([{ reason: 'customer asked to be texted again', actor: 'cli' }]);
    expect((await audit()).map((entry) => entry.action)).toEqual(['suppression.add', 'suppression.lift']);
    expect(await cli('unsuppress', '--location', LOC, '--phone', CALLER, '--reason', 'again')).toBe(1);
    expect(err.join('\n')).toContain('is not on the suppression list');
  });

  it('when the caller texted STOP, then unsuppress refuses (exit 1, the reason given) and changes nothing; --force lifts it and the audit says forced, with the reason', async () => {
    // The caller's STOP, recorded through the app's own stores on the CLI's database.
    const opened = await openStorage({ clock }, loadConfig(env));
    try {
      await opened.storage.suppressions.suppress({ locationId: LOC, phone: CALLER, source: 'keyword', reason: 'opt-out reply', actor: 'caller' }, T0);
    } finally {
      await opened.close();
    }
    expect(await cli('unsuppress', '--location', LOC, '--phone', CALLER, '--reason', 'customer asked')).toBe(1);
    expect(err.join('\n')).toMatch(/texted STOP: only they can opt back in.*--force/);
    expect(await count('SELECT COUNT(*) FROM suppressions')).toBe(1);
    expect(await audit()).toEqual([]);

    expect(await cli('unsuppress', '--location', LOC, '--phone', CALLER, '--reason', 'court order to restore service', '--force')).toBe(0);
    expect(await count('SELECT COUNT(*) FROM suppressions')).toBe(0);
    const entries = await audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'cli', action: 'suppression.lift' });
    expect(JSON.parse(entries[0].detail)).toMatchObject({ sources: ['keyword'], forced: true, reason: 'court order to restore service' });
  });
});

describe('retention', () => {
  it('when run with --dry-run, then it reports what would go and deletes nothing; run for real, it purges and is audited', async () => {
    clock.set(T0 + 400 * DAY);
    expect(await cli('retention', '--dry-run')).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ dryRun: true, expired: { calls: 1, messages: 1, replies: 1 } });
    expect(await count('SELECT COUNT(*) FROM calls')).toBe(1);
    expect(await audit()).toEqual([]);
    out = [];
    expect(await cli('retention')).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ dryRun: false, expired: { calls: 1, messages: 1, replies: 1 } });
    expect(await count('SELECT COUNT(*) FROM calls')).toBe(0);
    expect(await audit()).toEqual([expect.objectContaining({ actor: 'cli', action: 'retention.run', locationId: null })]);
  });
});

describe('assign-sender and unassign-sender', () => {
  it('when a sender is assigned and then unassigned, then the assignment is kept meanwhile and both steps are audited', async () => {
    expect(await cli('assign-sender', LOC, SENDER), err.join('\n')).toBe(0);
    expect(out.join('\n')).toContain(`${SENDER} is now assigned to ${LOC}`);
    expect(await rows('SELECT sender, location_id AS locationId FROM app_senders')).toEqual([{ sender: SENDER, locationId: LOC }]);
    expect(await cli('unassign-sender', LOC, SENDER), err.join('\n')).toBe(0);
    expect(await count('SELECT COUNT(*) FROM app_senders')).toBe(0);
    expect((await audit()).map((entry) => `${entry.actor}:${entry.action}`)).toEqual(['cli:app-sender.assign', 'cli:app-sender.unassign']);
  });
});

describe('doctor', () => {
  it('when everything is in order, then every check passes and it exits 0', async () => {
    // On PostgreSQL the URL carries a password, which no line of the report may show.
    if (database) env.DATABASE_URL = Object.assign(new URL(database.url), { password: 'not-shown' }).toString();
    expect(await cli('doctor'), out.join('\n')).toBe(0);
    const report = out.join('\n');
    for (const check of ['config', 'database', 'encryption key', 'webhook keys', 'highlevel', 'installations']) {
      expect(report).toMatch(new RegExp(`^ok\\s+${check}:`, 'm'));
    }
    expect(report).toContain('answered HTTP 404');
    expect(report).toMatch(/^ok\s+encryption key: opens the stored Location token/m);
    if (engine === 'sqlite') {
      expect(report).toMatch(/^ok\s+database: opens and is migrated \(schema version \d+\); quick_check ok/m);
    } else {
      expect(report).toMatch(/^ok\s+config: .*database PostgreSQL postgres:\/\/postgres:\*\*\*@/m);
      expect(report).toMatch(/^ok\s+database: PostgreSQL answers and is migrated \(schema version \d+\); health check ok/m);
      expect(report).toMatch(/^skip\s+backups: .*pg_dump/m);
      expect(report).not.toContain('not-shown');
    }
  });

  it('when the database cannot be opened, then the database check fails naming it (never a password) and it exits 1', async () => {
    if (engine === 'sqlite') {
      env.DATABASE_PATH = join(dir, 'junk.sqlite');
      writeFileSync(env.DATABASE_PATH, 'this is not a database, just text '.repeat(200));
    } else {
      // Nothing listens on port 1: the connection is refused, as when the server is down.
      env.DATABASE_URL = 'postgres://textback:secret-pw@127.0.0.1:1/textback';
    }
    expect(await cli('doctor')).toBe(1);
    const report = out.join('\n');
    const named = engine === 'sqlite' ? `${dir}/junk.sqlite: ` : 'PostgreSQL postgres://textback:***@127.0.0.1:1/textback: ';
    const failures = report.split('\n').filter((line) => line.startsWith('FAIL'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^FAIL\s+database: /);
    expect(failures[0]).toContain(`database: ${named}`);
    expect(report).not.toContain('secret-pw');
  });

  it('when ENCRYPTION_KEY is not the one the tokens were sealed with, then the key check fails and it exits 1', async () => {
    env.ENCRYPTION_KEY = generateKey();
    expect(await cli('doctor')).toBe(1);
    expect(out.join('\n')).toMatch(/^FAIL\s+encryption key: ENCRYPTION_KEY cannot open the stored tokens/m);
  });

  it('when HighLevel cannot be reached, then that check fails and it exits 1', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    env.HIGHLEVEL_API_URL = `http://127.0.0.1:${port}`;
    expect(await cli('doctor')).toBe(1);
    expect(out.join('\n')).toMatch(/^FAIL\s+highlevel: .* is not reachable: ECONNREFUSED/m);
  });

  it('when an installation needs reconnecting, then it is named as a warning (not a failure)', async () => {
    await withSql((sql) => sql.run(`UPDATE tokens SET needs_reconnect = 1, reconnect_reason = 'refresh rejected' WHERE owner_id = ?`, LOC));
    expect(await cli('doctor')).toBe(0);
    expect(out.join('\n')).toMatch(/^warn\s+installations: Location loc-acme needs reconnecting: refresh rejected/m);
  });

  it('when the configuration is invalid, then the config check fails and it exits 1', async () => {
    env.TWILIO_ACCOUNT_SID = 'nope';
    expect(await cli('doctor')).toBe(1);
    expect(out.join('\n')).toMatch(/^FAIL\s+config: TWILIO_ACCOUNT_SID/m);
  });
});

describe('the compiled entry point in a child process', () => {
  const root = resolve(import.meta.dirname, '../..');
  // Inside node_modules so the compiled files resolve the project's packages; only the CLI's own imports are compiled.
  const outDir = join(root, 'node_modules', '.cache', `textback-cli-test-${process.pid}`);
  const main = join(outDir, 'src', 'cli', 'main.js');

  beforeAll(() => {
    spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), 'src/cli/main.ts', '--outDir', outDir, '--rootDir', '.',
      '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--skipLibCheck', '--esModuleInterop', '--resolveJsonModule', '--types', 'node'],
    { cwd: root, encoding: 'utf8' });
    expect(existsSync(main)).toBe(true);
  }, 180_000);
  afterAll(() => { rmSync(outDir, { recursive: true, force: true }); });

  it('when run with --help, then it prints the commands and exits 0; with no command, the usage on stderr and exit 2', () => {
    expect(execFileSync(process.execPath, [main, '--help'], { cwd: dir, encoding: 'utf8' })).toContain('Usage: npm run textback -- <command>');
    const bare = spawnSync(process.execPath, [main], { cwd: dir, encoding: 'utf8' });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('Commands:');
  });

  it('when a command runs against the database the environment names (DATABASE_PATH, or DATABASE_URL), then it works end to end', () => {
    const result = spawnSync(process.execPath, [main, 'export', '--location', LOC, '--phone', CALLER], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).calls).toHaveLength(1);
  });
});
