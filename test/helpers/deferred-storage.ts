// A storage whose every store answers later, as PostgreSQL's do: each method call returns a promise settled after a
// turn of the event loop (a throw becomes a rejection). Wrapped around the SQLite storage, it shows that every caller
// awaits what it reads and writes, without a PostgreSQL server.
import type { Storage } from '../../src/store/storage.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `store` with each method deferred; other members (figures such as failedWindowMs) as they are. */
function deferStore<T extends object>(store: T): T {
  const deferred: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    deferred[name] = typeof member === 'function'
      ? async (...args: unknown[]) => { await nextTurn(); return (member as (...a: unknown[]) => unknown).apply(store, args); }
      : member;
  }
  return deferred as T;
}

export function deferStorage(storage: Storage): Storage {
  const deferred: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(storage)) {
    // The factories (rateLimiter, foreignInstallCheck) are called at composition: what they build is deferred.
    deferred[name] = typeof member === 'function'
      ? (...args: unknown[]) => deferStore((member as (...a: unknown[]) => object)(...args))
      : deferStore(member as object);
  }
  return deferred as unknown as Storage;
}
