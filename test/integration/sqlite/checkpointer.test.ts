// The checkpoint thread: the app's connection never checkpoints inside a commit while it runs; the thread copies the
// WAL into the database file; stopping it (or its failure) gives the connection its own checkpoints back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTOCHECKPOINT_PAGES, openDatabase, type Db } from '../../../src/store/db.js';
import { startCheckpointer } from '../../../src/store/checkpointer.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'textback-checkpoint-'));
  dirs.push(dir);
  const path = join(dir, 'textback.sqlite');
  const db = openDatabase(path);
  dbs.push(db);
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { db, path };
}

/** About 4 MB in 1,000 commits: below the connection's own threshold, so only a thread moves it into the file. */
function write(db: Db): void {
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  for (let i = 0; i < 1_000; i += 1) insert.run('x'.repeat(4_000));
}

const autocheckpoint = (db: Db) => db.pragma('wal_autocheckpoint', { simple: true });

describe('checkpoint thread', () => {
  it('when it runs, then the connection does not checkpoint by itself and the thread moves the WAL into the database file', async () => {
    const { db, path } = open();
    const before = statSync(path).size;
    const checkpointer = startCheckpointer(db, { everyMs: 20 })!;
    expect(autocheckpoint(db)).toBe(0);
    write(db);
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 3_000_000), { timeout: 10_000, interval: 20 });
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(AUTOCHECKPOINT_PAGES);
    expect(db.prepare('SELECT COUNT(*) FROM filler').pluck().get()).toBe(1_000);
  });

  it('when no thread runs, then the same writes stay in the WAL (what the thread is for)', () => {
    const { db, path } = open();
    const before = statSync(path).size;
    write(db);
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(3_000_000);
  });

  it('when the thread cannot open the database, then the failure is reported and the connection checkpoints by itself again', async () => {
    const { db, path } = open();
    // The connection keeps its open file; the thread finds no file at that name.
    renameSync(path, `${path}.moved`);
    const errors: unknown[] = [];
    const checkpointer = startCheckpointer(db, { everyMs: 20, onError: (error) => errors.push(error) })!;
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000, interval: 20 });
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(AUTOCHECKPOINT_PAGES);
  });

  it('when the database has no file, then no thread is started', () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    expect(startCheckpointer(db)).toBeNull();
  });
});
