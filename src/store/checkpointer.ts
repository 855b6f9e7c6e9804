// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses its threshold
// (AUTOCHECKPOINT_PAGES): it copies thousands of pages into the database file and syncs it, on the event loop, while
// webhooks wait for their 200 (docs/performance.md). A thread of the server's own, on a second connection, copies the
// WAL into the file every 100 ms instead; a PASSIVE checkpoint never blocks the app's writes. The connection's
// own checkpoint stays on: under steady writes a checkpoint from another connection never catches the last commit, so
// the WAL would never start over and would grow without bound (measured: 2.7 GB in 15 s of writes at full speed). At
// its threshold the connection's checkpoint finds nearly every page copied already: it copies what is left and lets
// the WAL start over. Durability is unchanged: a commit is durable in the WAL (synchronous=NORMAL) whenever its pages
// reach the database file.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Db } from './db.js';

export interface CheckpointerOptions {
  /**
   * How often the thread checkpoints (default 100 ms). Measured at half the ingest rate: ack p99 32–51 ms at 100 ms
   * against 55–61 ms at 500 ms (a bigger checkpoint each time, its sync held up the commits behind it) and 159 ms
   * with no thread (the connection's own checkpoint, on the event loop).
   */
  everyMs?: number;
  /** Told when the thread fails (it then stops; the connection's own checkpoints go on as they always do). */
  onError?: (error: unknown) => void;
}

export interface Checkpointer {
  /** Stops the thread after a last checkpoint; resolves once its connection is closed. */
  stop(): Promise<void>;
}

// The thread's code: it runs in a worker of its own (eval'd, so the same code serves the compiled app and the tests).
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// SQLite's own error class does not cross to the main thread with its message: a plain Error does.
const plain = (error) => Object.assign(new Error(error && error.message ? error.message : String(error)), { code: error && error.code });
let db;
try { db = new Database(workerData.path, { fileMustExist: true }); } catch (error) { throw plain(error); }
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint(); } catch (error) {
    // The connection's own checkpoint holds the lock: the next turn copies what is left.
    if (error.code === 'SQLITE_BUSY') return;
    clearInterval(timer); db.close(); throw plain(error);
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
`;

/** Starts checkpointing `db`'s file from a thread. Null for a database without a file (`:memory:`). */
export function startCheckpointer(db: Db, options: CheckpointerOptions = {}): Checkpointer | null {
  if (db.memory) return null;
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { path: db.name, everyMs: options.everyMs ?? 100, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => { worker.once('exit', () => resolve()); });
  worker.on('error', (error) => { if (!stopping) options.onError?.(error); });
  // The thread never keeps the process alive on its own.
  worker.unref();
  return {
    stop() {
      if (!stopping) {
        stopping = true;
        // Its last checkpoint and close hold the process open now, however quiet the rest of it has gone.
        worker.ref();
        worker.postMessage('stop');
      }
      return exited;
    },
  };
}
