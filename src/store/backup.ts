// Online backups of the SQLite database and their restore: take (SQLite backup API, no pause in service), verify
// (integrity_check on the copy, opened read-only), rotate (keep the N newest by the time in their name), restore.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Db } from './db.js';
import { MIGRATIONS } from './migrations/index.js';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupFile { path: string; takenAt: number }
export interface BackupResult { path: string; takenAt: number; bytes: number; durationMs: number; removed: string[] }

/** `textback-20260106T160000000Z.sqlite` for `./data/textback.sqlite`: the database's name and the UTC time taken. */
export function backupFileName(databasePath: string, takenAt: number): string {
  const stamp = new Date(takenAt).toISOString().replace(/[-:.]/g, '');
  return `${prefixOf(databasePath)}-${stamp}.sqlite`;
}

/** The backups of this database in `dir`, newest first (by the time in their name, not the file's mtime). */
export function listBackups(dir: string, databasePath: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${escapeRegExp(prefixOf(databasePath))}-(\\d{8}T\\d{9}Z)\\.sqlite$`);
  const found: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const match = pattern.exec(name);
    const takenAt = match ? parseStamp(match[1]) : NaN;
    if (Number.isFinite(takenAt)) found.push({ path: join(dir, name), takenAt });
  }
  return found.sort((a, b) => b.takenAt - a.takenAt);
}

/**
 * Copies the live database into `dir` while the app keeps serving (see writeBackup), named by the time taken, and
 * rotates old backups out. Partial files an interrupted run left are removed first.
 */
export async function takeBackup(db: Db, options: { dir: string; databasePath: string; keep: number; now: number; pagesPerStep?: number }): Promise<BackupResult> {
  const started = performance.now();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(options.dir)) {
    if (name.startsWith(`${prefixOf(options.databasePath)}-`) && name.endsWith('.partial')) rmSync(join(options.dir, name), { force: true });
  }
  const finalPath = join(options.dir, backupFileName(options.databasePath, options.now));
  await writeBackup(db, finalPath, { pagesPerStep: options.pagesPerStep });
  const removed = rotateBackups(options.dir, options.databasePath, options.keep);
  return { path: finalPath, takenAt: options.now, bytes: statSync(finalPath).size, durationMs: performance.now() - started, removed };
}

/**
 * Writes a copy of the live database to `path`, the one routine behind scheduled and CLI backups: SQLite's online
 * backup copies a few pages per event-loop turn (writes made meanwhile through the same connection are carried into
 * the copy) into `<path>.partial`, created readable by its owner only before a byte is written; the copy is made
 * self-contained (rollback journal, no -wal), verified, fsync'ed, renamed into place, and the rename fsync'ed. A
 * failure leaves no file behind. `path` is replaced if it exists (callers that must not overwrite check first).
 */
export async function writeBackup(db: Db, path: string, options: { pagesPerStep?: number } = {}): Promise<{ path: string; bytes: number; schemaVersion: number }> {
  const partial = `${path}.partial`;
  let schemaVersion: number;
  try {
    // Readable by the owner only: it holds every token (sealed) and every caller's records.
    rmSync(partial, { force: true });
    closeSync(openSync(partial, 'wx', 0o600));
    chmodSync(partial, 0o600);
    await db.backup(partial, { progress: () => options.pagesPerStep ?? 100 });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // The live database is in WAL mode; the copy must stand alone as one file.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    ({ schemaVersion } = verifyBackup(partial));
    syncFile(partial);
    renameSync(partial, path);
    syncDirectory(dirname(path));
  } catch (error) {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(leftover, { force: true });
    throw error;
  }
  return { path, bytes: statSync(path).size, schemaVersion };
}

/** Throws a BackupError unless the file is a readable SQLite database that passes `PRAGMA integrity_check`. */
export function verifyBackup(path: string): { schemaVersion: number } {
  if (!existsSync(path)) throw new BackupError(`${path}: no such file`);
  let copy: Database.Database;
  try {
    copy = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${path}: cannot be opened as a SQLite database (${(error as Error).message})`);
  }
  try {
    const results = copy.pragma('integrity_check') as { integrity_check: string }[];
    const problems = results.map((row) => row.integrity_check).filter((line) => line !== 'ok');
    if (problems.length) throw new BackupError(`${path}: integrity check failed: ${problems.slice(0, 5).join('; ')}`);
    return { schemaVersion: copy.pragma('user_version', { simple: true }) as number };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${path}: not a usable SQLite database (${(error as Error).message})`);
  } finally {
    copy.close();
  }
}

/** Deletes all but the `keep` newest backups of this database; returns the paths deleted. */
export function rotateBackups(dir: string, databasePath: string, keep: number): string[] {
  const stale = listBackups(dir, databasePath).slice(Math.max(1, keep));
  for (const backup of stale) rmSync(backup.path, { force: true });
  return stale.map((backup) => backup.path);
}

export interface RestoreResult { restoredFrom: string; databasePath: string; previousKeptAs: string | null }

/**
 * Brings a backup back as the database, for an app that is stopped. Refuses (BackupError) when the backup fails its
 * integrity check, is from a newer schema than this build, or the database is open in another connection or process.
 * The database being replaced is kept as `<db>.before-restore-<time>`; the new one arrives by an atomic rename.
 */
export function restoreBackup(options: { backupFile: string; databasePath: string; now: number }): RestoreResult {
  const backupFile = resolve(options.backupFile);
  const databasePath = resolve(options.databasePath);
  if (backupFile === databasePath) throw new BackupError('the backup file is the database itself');
  const { schemaVersion } = verifyBackup(backupFile);
  if (schemaVersion < 1) throw new BackupError(`${backupFile}: not a TextBack database (no schema version)`);
  if (schemaVersion > MIGRATIONS.length) {
    throw new BackupError(`${backupFile}: schema version ${schemaVersion} is newer than this build knows (${MIGRATIONS.length})`);
  }

  let previousKeptAs: string | null = null;
  if (existsSync(databasePath)) {
    takeOverIdleDatabase(databasePath);
    previousKeptAs = `${databasePath}.before-restore-${new Date(options.now).toISOString().replace(/[-:.]/g, '')}`;
    copyFileSync(databasePath, previousKeptAs);
    syncFile(previousKeptAs);
  } else {
    mkdirSync(dirname(databasePath), { recursive: true });
  }
  const temp = `${databasePath}.restoring-${process.pid}`;
  try {
    copyFileSync(backupFile, temp);
    syncFile(temp);
    renameSync(temp, databasePath);
    syncDirectory(dirname(databasePath));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  // A stale shared-memory index must not be paired with the new file.
  for (const leftover of [`${databasePath}-wal`, `${databasePath}-shm`, `${databasePath}-journal`]) rmSync(leftover, { force: true });
  return { restoredFrom: backupFile, databasePath, previousKeptAs };
}

/**
 * Proves no connection (in this process or another) has the database open, and folds its WAL into the main file so
 * that the copy kept aside is complete: leaving WAL mode needs exclusive access, and SQLite refuses it ("database is
 * locked") while anyone else holds the file open, even idle.
 */
function takeOverIdleDatabase(databasePath: string): void {
  let db: Database.Database;
  try {
    db = new Database(databasePath, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    throw new BackupError(`${databasePath}: cannot be opened (${(error as Error).message})`);
  }
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    const busy = /locked|busy/i.test((error as Error).message);
    throw new BackupError(busy
      ? `${databasePath} is in use: stop the app (and anything else using the database) before restoring`
      : `${databasePath}: cannot take it over (${(error as Error).message})`);
  } finally {
    db.close();
  }
}

function prefixOf(databasePath: string): string {
  const name = basename(databasePath);
  return extname(name) ? name.slice(0, -extname(name).length) : name;
}

function parseStamp(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) : NaN;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

function syncDirectory(dir: string): void {
  // Makes the rename itself durable; some platforms cannot fsync a directory, which is not worth failing over.
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* best effort */ }
}
