// `npm run textback -- restore <backup-file>` through the CLI runner: restores a stopped app's database, refuses
// while it is open or when the backup is bad, and tells the operator where the replaced database went.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main.js';
import type { CliContext } from '../../../src/cli/context.js';
import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/store/db.js';
import { takeBackup } from '../../../src/store/backup.js';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'textback-cli-restore-'));
  dirs.push(dir);
  const databasePath = join(dir, 'textback.sqlite');
  const db = openDatabase(databasePath);
  db.prepare(`INSERT INTO audit_log (location_id, actor, action, at) VALUES (NULL, 'test', 'in-backup', 0)`).run();
  const { path: backupFile } = await takeBackup(db, { dir: join(dir, 'backups'), databasePath, keep: 2, now: Date.UTC(2026, 0, 6) });
  db.prepare(`INSERT INTO audit_log (location_id, actor, action, at) VALUES (NULL, 'test', 'after-backup', 0)`).run();
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    loadConfig: () => loadConfig({ NODE_ENV: 'test', DATABASE_PATH: databasePath }),
    clock: { now: () => Date.UTC(2026, 0, 8, 9, 30) },
    fetch: globalThis.fetch,
  };
  return { dir, databasePath, db, backupFile, ctx, out, err };
}

const actions = (path: string) => {
  const db = new Database(path, { readonly: true });
  try { return db.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all(); } finally { db.close(); }
};

describe('restore command', () => {
  it('when the app is stopped, then the backup becomes the database and the old one is kept as <db>.before-restore-<time>', async () => {
    const { databasePath, db, backupFile, ctx, out } = await setup();
    db.close();
    expect(await runCli(['restore', backupFile], ctx)).toBe(0);
    expect(actions(databasePath)).toEqual(['in-backup']);
    const kept = `${databasePath}.before-restore-20260108T093000000Z`;
    expect(actions(kept)).toEqual(['in-backup', 'after-backup']);
    expect(out.join('\n')).toContain(kept);
  });

  it('when the database is in use, then it refuses with exit code 1 and leaves the database alone', async () => {
    const { databasePath, db, backupFile, ctx, err } = await setup();
    try {
      expect(await runCli(['restore', backupFile], ctx)).toBe(1);
      expect(err.join('\n')).toMatch(/in use: stop the app/);
    } finally {
      db.close();
    }
    expect(actions(databasePath)).toEqual(['in-backup', 'after-backup']);
  });

  it('when the backup file is not a sound database, then it refuses with exit code 1', async () => {
    const { dir, databasePath, db, ctx, err } = await setup();
    db.close();
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not a database, just text '.repeat(200));
    expect(await runCli(['restore', junk], ctx)).toBe(1);
    expect(err.join('\n')).toMatch(/restore failed: .*junk\.sqlite/);
    expect(actions(databasePath)).toEqual(['in-backup', 'after-backup']);
  });

  it('when no backup file is named, then it is a usage error (exit code 2)', async () => {
    const { db, ctx, err } = await setup();
    db.close();
    expect(await runCli(['restore'], ctx)).toBe(2);
    expect(err.join('\n')).toContain('restore <backup-file>');
  });
});
