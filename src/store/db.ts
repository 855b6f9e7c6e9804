// Opens the SQLite database (WAL, foreign keys, busy timeout) and brings its schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

/**
 * When SQLite checkpoints by itself, inside the commit that crosses it (default 1,000 pages): pages written again and
 * again between checkpoints (the job queue's index leaves) are copied into the database file once instead of each
 * time. The server also checkpoints from a thread (checkpointer.ts), which leaves this one little to copy.
 */
export const AUTOCHECKPOINT_PAGES = 10_000;

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against process crashes (what we promise); only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  // Durability is the commits' (above), whenever their pages reach the database file.
  db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Applies every migration above the database's user_version, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this build knows (${MIGRATIONS.length})`);
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return MIGRATIONS.length;
}
