// The checkpoint thread copies the WAL into the database file before the connection's own checkpoint would (inside a
// commit, on the event loop); the connection's checkpoint still bounds the WAL; a thread that fails is reported.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src/store/db.js';
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

/** The WAL header's checkpoint sequence number: SQLite adds one each time the WAL starts over from its first frame. */
function walRestarts(path: string): number {
  const fd = openSync(`${path}-wal`, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    closeSync(fd);
  }
}

describe('checkpoint thread', () => {
  it('when it runs, then the thread moves the WAL into the database file long before the connection would', async () => {
    const { db, path } = open();
    const before = statSync(path).size;
    const checkpointer = startCheckpointer(db, { everyMs: 20 })!;
    write(db);
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 3_000_000), { timeout: 10_000, interval: 20 });
    await checkpointer.stop();
    expect(db.prepare('SELECT COUNT(*) FROM filler').pluck().get()).toBe(1_000);
  });

  it('when writes never pause, then the WAL still starts over (the connection\'s own checkpoint bounds it)', async () => {
    const { db, path } = open();
    const restartsBefore = walRestarts(path);
    const checkpointer = startCheckpointer(db, { everyMs: 5 })!;
    // Far more than the connection's threshold of 10,000 pages, written without a pause.
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    for (let i = 0; i < 50_000; i += 1) insert.run('x'.repeat(4_000));
    await checkpointer.stop();
    // It started over at least once while the writes went on. How often depends on how the two threads interleave
    // (on a loaded machine the file reached 117 MB before it did), so its size is bounded only by what a WAL that
    // never started over would hold: all 50,000 pages, over 200 MB.
    expect(walRestarts(path)).toBeGreaterThan(restartsBefore);
    expect(statSync(`${path}-wal`).size).toBeLessThan(200_000_000);
  });

  it('when no thread runs, then the same writes stay in the WAL (what the thread is for)', () => {
    const { db, path } = open();
    const before = statSync(path).size;
    write(db);
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(3_000_000);
  });

  it('when the thread cannot open the database, then the failure is reported', async () => {
    const { db, path } = open();
    // The connection keeps its open file; the thread finds no file at that name.
    renameSync(path, `${path}.moved`);
    const errors: unknown[] = [];
    const checkpointer = startCheckpointer(db, { everyMs: 20, onError: (error) => errors.push(error) })!;
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000, interval: 20 });
    await checkpointer.stop();
    expect(errors[0]).toMatchObject({ code: 'SQLITE_CANTOPEN', message: 'unable to open database file' });
  });

  it('when the database has no file, then no thread is started', () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    expect(startCheckpointer(db)).toBeNull();
  });
});
