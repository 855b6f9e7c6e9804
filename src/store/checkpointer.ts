// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses its threshold:
// it copies thousands of pages into the database file and syncs it, on the event loop, while webhooks wait for their
// 200 (docs/performance.md). The server turns it off on its connection and checkpoints from a thread of its own with a
// second connection instead. A PASSIVE checkpoint never blocks the app's writes: it copies what no reader still needs
// and leaves the rest for the next one. Durability is unchanged: a commit is durable in the WAL (synchronous=NORMAL),
// whenever its pages reach the database file.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { AUTOCHECKPOINT_PAGES, type Db } from './db.js';

export interface CheckpointerOptions {
  /** How often the thread checkpoints (default 1 s). */
  everyMs?: number;
  /** Told when the thread fails (it then stops, and the connection checkpoints by itself again). */
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
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint(); } catch (error) { clearInterval(timer); db.close(); throw error; }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
`;

/**
 * Starts checkpointing `db`'s file from a thread and turns the connection's own automatic checkpoint off. Null for a
 * database without a file (`:memory:`).
 */
export function startCheckpointer(db: Db, options: CheckpointerOptions = {}): Checkpointer | null {
  if (db.memory) return null;
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { path: db.name, everyMs: options.everyMs ?? 1_000, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      // However it ended, the connection checkpoints by itself again (a last safety net for the WAL's size).
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      resolve();
    });
  });
  worker.on('error', (error) => { if (!stopping) options.onError?.(error); });
  // The thread never keeps the process alive on its own.
  worker.unref();
  return {
    stop() {
      if (!stopping) {
        stopping = true;
        worker.postMessage('stop');
      }
      return exited;
    },
  };
}
