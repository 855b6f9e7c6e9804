// The CLI's backup works on the SQLite file: a checked, self-contained copy readable by the owner only, never over an
// existing file. With DATABASE_URL set, backup and restore refuse, change nothing, and name PostgreSQL's own tools
// (pg_dump, pg_restore) instead.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { runCli } from '../../../src/cli/main.js';
import type { CliContext } from '../../../src/cli/context.js';
import { createManualClock } from '../../../src/lib/clock.js';
import { generateKey } from '../../../src/lib/crypto.js';
import { openDatabase } from '../../../src/store/db.js';

const T0 = Date.UTC(2026, 0, 6, 16, 0, 0);

let dir: string;
let out: string[];
let err: string[];
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'textback-cli-sqlite-'));
  out = [];
  err = [];
  env = {
    NODE_ENV: 'test', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared',
    ENCRYPTION_KEY: generateKey(), DATABASE_PATH: join(dir, 'textback.sqlite'), DATABASE_URL: 'postgres://textback:pw@db.internal:5432/textback',
  };
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const ctx = (): CliContext => ({ out: (t) => out.push(t), err: (t) => err.push(t), loadConfig: () => loadConfig(env), clock: createManualClock(T0), fetch: globalThis.fetch });

describe('backup on the SQLite file', () => {
  beforeEach(() => {
    delete env.DATABASE_URL;
    env.BACKUP_DIR = join(dir, 'backups');
    // A location with one call: what the copy must hold.
    const db = openDatabase(env.DATABASE_PATH);
    try {
      db.prepare(`INSERT INTO locations (location_id, company_id, status, name, settings, installed_at, updated_at) VALUES ('loc-acme', 'company-1', 'installed', 'Acme', '{}', ?, ?)`).run(T0, T0);
      db.prepare(`INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at) VALUES ('loc-acme', 'call-1', 'contact-1', '+12125550147', 'voicemail', 1, ?, 'texted', ?)`).run(T0, T0);
    } finally {
      db.close();
    }
  });

  it('when backup is run without a file, then it exits 2 naming the problem and showing the usage', async () => {
    expect(await runCli(['backup'], ctx())).toBe(2);
    expect(err.join('\n')).toContain('the backup file to write is required');
    expect(err.join('\n')).toContain('Usage: npm run textback --');
  });

  it('when a backup is taken, then the file is a self-contained database that passes integrity_check, readable by the owner only', async () => {
    const file = join(dir, 'copy.sqlite');
    expect(await runCli(['backup', file], ctx()), err.join('\n')).toBe(0);
    expect(out.join('\n')).toContain('integrity_check: ok');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const copy = new Database(file, { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) FROM calls').pluck().get()).toBe(1);
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
  });

  it('when the target file exists already, then it is left alone and the command exits 1', async () => {
    const file = join(dir, 'taken.sqlite');
    writeFileSync(file, 'precious');
    expect(await runCli(['backup', file], ctx())).toBe(1);
    expect(err.join('\n')).toContain('exists already');
  });
});

describe('backup and restore with DATABASE_URL set', () => {
  it('when a backup is asked for, then it exits 1 naming pg_dump, and neither a backup nor a SQLite file is written', async () => {
    const file = join(dir, 'copy.sqlite');
    expect(await runCli(['backup', file], ctx())).toBe(1);
    expect(err.join('\n')).toMatch(/backup is for the SQLite database .*DATABASE_URL is set.*pg_dump/);
    expect(err.join('\n')).not.toContain('pw@');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(env.DATABASE_PATH)).toBe(false);
  });

  it('when a restore is asked for, then it exits 1 naming pg_restore and the files stay as they were', async () => {
    const backup = join(dir, 'old.sqlite');
    writeFileSync(backup, 'not touched');
    expect(await runCli(['restore', backup], ctx())).toBe(1);
    expect(err.join('\n')).toMatch(/restore is for the SQLite database .*pg_restore/);
    expect(existsSync(env.DATABASE_PATH)).toBe(false);
  });

  it('when DATABASE_URL is not set, then backup works on the SQLite file as before', async () => {
    delete env.DATABASE_URL;
    const file = join(dir, 'copy.sqlite');
    expect(await runCli(['backup', file], ctx()), err.join('\n')).toBe(0);
    expect(existsSync(file)).toBe(true);
  });
});
