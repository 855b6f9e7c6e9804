// Scheduled online backups and restore: a backup taken while webhooks keep arriving restores to a sound database
// holding every event acknowledged before it started; rotation, rescheduling, and a restore that refuses to do harm.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness, missedCall, type Harness } from '../../helpers/harness.js';
import { HOUR } from '../../../src/lib/clock.js';
import { createLogger } from '../../../src/lib/logger.js';
import { openDatabase } from '../../../src/store/db.js';
import { createJobQueue } from '../../../src/store/job-queue.js';
import { createBackupJob, type BackupReport } from '../../../src/jobs/backup.js';
import { BackupError, backupFileName, listBackups, restoreBackup, takeBackup, verifyBackup } from '../../../src/store/backup.js';

let h: Harness | undefined;
const dirs: string[] = [];
const tempDir = () => { const dir = mkdtempSync(join(tmpdir(), 'textback-backup-')); dirs.push(dir); return dir; };
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const silent = createLogger({ level: 'silent' });

describe('a backup taken while webhooks flow', () => {
  it('when webhooks arrive during the backup, then the restored copy passes integrity_check and holds every event acknowledged before it began', async () => {
    const backupDir = tempDir();
    h = await createHarness({ env: { BACKUP_DIR: backupDir } });
    // Enough data that the copy spans many event-loop turns.
    const insert = h.app.db.prepare(`INSERT INTO audit_log (location_id, actor, action, detail, at) VALUES ('loc-x', 'system', 'filler', ?, 0)`);
    h.app.db.transaction(() => { for (let i = 0; i < 20_000; i++) insert.run('x'.repeat(400)); })();

    let n = 0;
    const fire = () => {
      const webhookId = `wh-backup-${++n}`;
      return h!.webhook({ ...missedCall({ locationId: 'loc-acme', contactId: `contact-${n}`, from: '+12125550147' }), webhookId })
        .then((res) => ({ webhookId, status: res.status }));
    };
    const before = await Promise.all(Array.from({ length: 40 }, fire));
    expect(before.every((r) => r.status === 200)).toBe(true);

    let finished = false;
    const backup = takeBackup(h.app.db, { dir: backupDir, databasePath: h.config.databasePath, keep: 7, now: h.clock.now(), pagesPerStep: 8 })
      .finally(() => { finished = true; });
    const during: { webhookId: string; status: number }[] = [];
    while (!finished) during.push(...(await Promise.all(Array.from({ length: 5 }, fire))));
    const result = await backup;
    expect(during.length).toBeGreaterThanOrEqual(10); // the backup really overlapped live traffic
    expect(during.every((r) => r.status === 200)).toBe(true);

    const restoredPath = join(tempDir(), 'restored.sqlite');
    restoreBackup({ backupFile: result.path, databasePath: restoredPath, now: h.clock.now() });
    const restored = new Database(restoredPath, { readonly: true });
    try {
      expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
      const keys = new Set(restored.prepare(`SELECT dedupe_key FROM webhook_receipts`).pluck().all() as string[]);
      const missing = before.filter((r) => !keys.has(`webhook:${r.webhookId}`));
      expect(missing).toEqual([]);
      expect(restored.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'filler'`).pluck().get()).toBe(20_000);
    } finally {
      restored.close();
    }
  });
});

describe('scheduled backups', () => {
  it('when BACKUP_DIR is set, then a backup job runs at once, then every interval, keeping the newest BACKUP_KEEP', async () => {
    const backupDir = tempDir();
    h = await createHarness({ env: { BACKUP_DIR: backupDir, BACKUP_INTERVAL_HOURS: '6', BACKUP_KEEP: '2', METRICS_TOKEN: 'scraper-token-0123456789abcdef' } });
    const pendingAt = () => h!.app.db.prepare(`SELECT run_at FROM jobs WHERE kind = 'backup' AND status = 'pending'`).pluck().all();
    const start = h.clock.now();
    expect(pendingAt()).toEqual([start]);

    await h.runJobs();
    expect(listBackups(backupDir, h.config.databasePath).map((b) => b.takenAt)).toEqual([start]);
    expect(pendingAt()).toEqual([start + 6 * HOUR]);
    expect(h.logs.some((line) => line.includes('database backup taken and verified'))).toBe(true);
    const metrics = (await h.http.get('/metrics').set('Authorization', 'Bearer scraper-token-0123456789abcdef')).text;
    expect(metrics).toContain(`textback_backup_last_success_timestamp_seconds ${start / 1000}`);
    expect(metrics).toMatch(/textback_backup_last_duration_seconds \d/);
    expect(metrics).toContain('textback_backup_failures_total 0');

    await h.advance(6 * HOUR);
    await h.advance(6 * HOUR);
    expect(listBackups(backupDir, h.config.databasePath).map((b) => b.takenAt)).toEqual([start + 12 * HOUR, start + 6 * HOUR]);
    expect(readdirSync(backupDir).sort()).toEqual([
      backupFileName(h.config.databasePath, start + 6 * HOUR),
      backupFileName(h.config.databasePath, start + 12 * HOUR),
    ]);
    expect(pendingAt()).toEqual([start + 18 * HOUR]);
    for (const backup of listBackups(backupDir, h.config.databasePath)) expect(() => verifyBackup(backup.path)).not.toThrow();
  });

  it('when a scheduled backup is written, then it is readable by its owner only (0600), like the CLI\'s', async () => {
    const backupDir = tempDir();
    h = await createHarness({ env: { BACKUP_DIR: backupDir } });
    await h.runJobs();
    const [backup] = listBackups(backupDir, h.config.databasePath);
    expect(backup).toBeDefined();
    expect((statSync(backup.path).mode & 0o777).toString(8)).toBe('600');
  });

  it('when the app starts again, then the pending backup job is kept, and with none pending the next is due an interval after the newest backup', async () => {
    const dir = tempDir();
    const backupDir = join(dir, 'backups');
    const databasePath = join(dir, 'textback.sqlite');
    const db = openDatabase(databasePath);
    try {
      const queue = createJobQueue(db);
      let now = Date.UTC(2026, 0, 6, 12);
      const clock = { now: () => now };
      const backup = { dir: backupDir, intervalHours: 24, keep: 3 };
      const job = createBackupJob({ db, queue, clock, logger: silent, databasePath, backup });
      const pending = () => db.prepare(`SELECT run_at FROM jobs WHERE kind = 'backup' AND status IN ('pending', 'running')`).pluck().all();

      await job.ensureScheduled();
      now += HOUR;
      await job.ensureScheduled(); // a restart: the job already pending stays the only one
      expect(pending()).toEqual([Date.UTC(2026, 0, 6, 12)]);

      db.prepare(`DELETE FROM jobs`).run();
      const takenAt = Date.UTC(2026, 0, 6, 10);
      mkdirSync(backupDir, { recursive: true });
      writeFileSync(join(backupDir, backupFileName(databasePath, takenAt)), '');
      writeFileSync(join(backupDir, 'notes.txt'), ''); // files not named like a backup are ignored
      await job.ensureScheduled();
      expect(pending()).toEqual([takenAt + 24 * HOUR]);
    } finally {
      db.close();
    }
  });

  it('when a backup fails, then the failure is reported and logged, and the job tries again within the hour', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-directory'), '');
    const databasePath = join(dir, 'textback.sqlite');
    const db = openDatabase(databasePath);
    try {
      const reports: BackupReport[] = [];
      const now = Date.UTC(2026, 0, 6, 12);
      const job = createBackupJob({
        db, queue: createJobQueue(db), clock: { now: () => now }, logger: silent, databasePath,
        backup: { dir: join(dir, 'not-a-directory', 'backups'), intervalHours: 24, keep: 3 },
        onReport: (report) => reports.push(report),
      });
      const result = await job.handler({ id: 1, kind: 'backup', payload: {} } as never);
      expect(result).toEqual({ runAgainAt: now + HOUR });
      expect(reports).toHaveLength(1);
      expect(reports[0].ok).toBe(false);
    } finally {
      db.close();
    }
  });
});

describe('restore', () => {
  async function databaseWithBackup() {
    const dir = tempDir();
    const databasePath = join(dir, 'data', 'textback.sqlite');
    const db = openDatabase(databasePath);
    const note = (action: string) => db.prepare(`INSERT INTO audit_log (location_id, actor, action, at) VALUES (NULL, 'test', ?, 0)`).run(action);
    note('before-backup');
    const { path } = await takeBackup(db, { dir: join(dir, 'backups'), databasePath, keep: 3, now: Date.UTC(2026, 0, 6, 12) });
    note('after-backup');
    return { dir, databasePath, db, backupFile: path };
  }
  const actions = (path: string) => {
    const db = new Database(path, { readonly: true });
    try { return db.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all(); } finally { db.close(); }
  };

  it('when the database is still open, then restore refuses and changes nothing', async () => {
    const { databasePath, db, backupFile, dir } = await databaseWithBackup();
    try {
      expect(() => restoreBackup({ backupFile, databasePath, now: Date.UTC(2026, 0, 7) })).toThrow(/in use/);
      expect(readdirSync(join(dir, 'data')).filter((name) => name.includes('before-restore') || name.includes('restoring'))).toEqual([]);
    } finally {
      db.close();
    }
    expect(actions(databasePath)).toEqual(['before-backup', 'after-backup']);
  });

  it('when the app is stopped, then the backup replaces the database and the replaced one is kept aside, complete', async () => {
    const { databasePath, db, backupFile, dir } = await databaseWithBackup();
    db.close();
    const result = restoreBackup({ backupFile, databasePath, now: Date.UTC(2026, 0, 7) });

    expect(result.previousKeptAs).toBe(`${databasePath}.before-restore-20260107T000000000Z`);
    expect(actions(result.previousKeptAs!)).toEqual(['before-backup', 'after-backup']);
    expect(actions(databasePath)).toEqual(['before-backup']);
    expect(readdirSync(join(dir, 'data')).sort()).toEqual(['textback.sqlite', 'textback.sqlite.before-restore-20260107T000000000Z']);
    const reopened = openDatabase(databasePath); // the app starts on it as usual
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
  });

  it('when the backup is damaged or not a TextBack database, then restore refuses before touching the database', async () => {
    const { databasePath, db, backupFile, dir } = await databaseWithBackup();
    db.close();
    const damaged = join(dir, 'damaged.sqlite');
    const bytes = readFileSync(backupFile);
    bytes.fill(0x5a, 4096 * 2, 4096 * 4); // scribble over two pages past the header
    writeFileSync(damaged, bytes);
    expect(() => restoreBackup({ backupFile: damaged, databasePath, now: 0 })).toThrow(BackupError);

    const foreign = join(dir, 'foreign.sqlite');
    new Database(foreign).exec('CREATE TABLE t (x)');
    expect(() => restoreBackup({ backupFile: foreign, databasePath, now: 0 })).toThrow(/not a TextBack database/);
    expect(() => restoreBackup({ backupFile: join(dir, 'missing.sqlite'), databasePath, now: 0 })).toThrow(/no such file/);

    expect(actions(databasePath)).toEqual(['before-backup', 'after-backup']);
    expect(existsSync(`${databasePath}.before-restore-19700101T000000000Z`)).toBe(false);
  });
});
