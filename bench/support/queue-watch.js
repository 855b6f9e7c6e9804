// Reads the app's job queue from outside (read-only, on the same SQLite file) to wait until its backlog is worked off.
import Database from 'better-sqlite3';

/** Resolves once no job is due or running (true), or after `timeoutMs` (false). */
export async function waitForIdleQueue(databasePath, { timeoutMs = 120_000, pollMs = 200 } = {}) {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const busy = db.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'running' OR (status = 'pending' AND run_at <= ?)`).pluck();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (busy.get(Date.now()) === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return false;
  } finally {
    db.close();
  }
}

