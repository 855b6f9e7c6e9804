// The CLI's backup and restore work on the SQLite file: with DATABASE_URL set they refuse, change nothing, and name
// PostgreSQL's own tools (pg_dump, pg_restore) instead.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runCli } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { createManualClock } from '../../src/lib/clock.js';
import { generateKey } from '../../src/lib/crypto.js';

let dir: string;
let out: string[];
let err: string[];
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'textback-cli-pg-'));
  out = [];
  err = [];
  env = {
    NODE_ENV: 'test', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared',
    ENCRYPTION_KEY: generateKey(), DATABASE_PATH: join(dir, 'textback.sqlite'), DATABASE_URL: 'postgres://textback:pw@db.internal:5432/textback',
  };
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const ctx = (): CliContext => ({ out: (t) => out.push(t), err: (t) => err.push(t), loadConfig: () => loadConfig(env), clock: createManualClock(0), fetch: globalThis.fetch });

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
