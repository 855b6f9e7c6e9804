// Wake-ups for the PostgreSQL queue: a job enqueued due now is announced with NOTIFY (sent at its commit), and every
// instance LISTENs on one connection of its own, so an idle worker starts at once instead of at its next poll.
// Polling stays the fallback: while the listening connection is down (it reconnects with backoff) and behind
// PgBouncer in transaction mode, where LISTEN never hears anything (disable it there and poll every ~100 ms,
// POLL_MS_WITHOUT_LISTEN).
import type { Client } from 'pg';
import type { Queryable } from './pool.js';

export const JOBS_CHANNEL = 'textback_jobs';

/** How often a worker looks at the queue when it cannot be woken (no LISTEN): a text-back waits at most this long. */
export const POLL_MS_WITHOUT_LISTEN = 100;

export interface JobWakeups {
  /** Announces due work to every listening instance (this one included); delivered when the transaction commits. */
  notify(): Promise<void>;
  /**
   * Calls `onWake` on every announcement, once as soon as this subscription listens, and once after each
   * reconnection (announcements may have been missed meanwhile). Returns the unsubscribe function.
   */
  onNotify(onWake: () => void): () => void;
  close(): Promise<void>;
}

export function createJobWakeups(deps: { db: Queryable; newClient: () => Client; onError?: (error: Error) => void; maxBackoffMs?: number }): JobWakeups {
  const listeners = new Set<() => void>();
  const maxBackoffMs = deps.maxBackoffMs ?? 30_000;
  let client: Client | null = null;
  let connecting: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  const wakeAll = () => { for (const listener of listeners) listener(); };

  function scheduleReconnect(): void {
    if (closed || retryTimer || listeners.size === 0) return;
    const delay = Math.min(maxBackoffMs, 250 * 2 ** Math.min(failures, 10));
    failures += 1;
    retryTimer = setTimeout(() => { retryTimer = undefined; void connect(); }, delay);
    retryTimer.unref();
  }

  function connect(): Promise<void> {
    if (closed || client || connecting) return connecting ?? Promise.resolve();
    const next = deps.newClient();
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = null;
      if (error) deps.onError?.(error);
      void next.end().catch(() => {});
      scheduleReconnect();
    };
    connecting = (async () => {
      try {
        next.on('error', lost);
        next.on('end', () => lost());
        next.on('notification', (message) => { if (message.channel === JOBS_CHANNEL) wakeAll(); });
        await next.connect();
        await next.query(`LISTEN ${JOBS_CHANNEL}`);
        if (closed) { await next.end(); return; }
        client = next;
        failures = 0;
        wakeAll();
      } catch (error) {
        deps.onError?.(error as Error);
        void next.end().catch(() => {});
        scheduleReconnect();
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  }

  return {
    async notify() {
      await deps.db.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, '']);
    },
    onNotify(onWake) {
      listeners.add(onWake);
      if (client) queueMicrotask(() => { if (listeners.has(onWake)) onWake(); });
      else void connect();
      return () => { listeners.delete(onWake); };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await connecting;
      const open = client;
      client = null;
      if (open) await open.end().catch(() => {});
    },
  };
}
