// Rows read on every event, kept in memory until anything could have changed them: a write to one of the watched
// tables on this connection, whichever store made it (temporary triggers call back into this process), or a commit by
// another connection to the same file (PRAGMA data_version: a CLI command, a second process), seen from the next turn
// of the event loop on. SQLite only: on PostgreSQL other instances write, and every read goes to the database.
import type { Db } from './db.js';

/** Per connection and table: the caches to clear when the table changes (its SQL function is registered once). */
const listenersOf = new WeakMap<Db, Map<string, Set<() => void>>>();

function onWrites(db: Db, table: string, listener: () => void): void {
  let tables = listenersOf.get(db);
  if (!tables) {
    tables = new Map();
    listenersOf.set(db, tables);
  }
  let listeners = tables.get(table);
  if (!listeners) {
    const registered = new Set<() => void>();
    listeners = registered;
    tables.set(table, registered);
    const changed = `textback_${table}_changed`;
    db.function(changed, { deterministic: false, varargs: false }, () => {
      for (const clear of registered) clear();
      return null;
    });
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS textback_${table}_${event.toLowerCase()}_watch
        AFTER ${event} ON main.${table} BEGIN SELECT ${changed}(); END`);
    }
  }
  listeners.add(listener);
}

export interface RowCache<V> {
  /** The cached value for `key`, or `load(key)`, remembered unless a transaction is open (it might roll back). */
  get(key: string, load: (key: string) => V): V;
}

/**
 * A cache of what `tables` hold, at most `limit` keys (the oldest is dropped first). Another connection's commits are
 * looked for once per turn of the event loop: asking SQLite (PRAGMA data_version) opens a read transaction of its own,
 * which cost the worker more than the read it saves when asked for every event (docs/performance.md, twelfth round).
 */
export function createRowsCache<V>(db: Db, tables: readonly string[], limit = 5_000): RowCache<V> {
  const entries = new Map<string, V>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get() as number;
  let checkedThisTurn = false;
  const nextTurn = () => { checkedThisTurn = false; };
  for (const table of tables) onWrites(db, table, () => entries.clear());

  function forgetOtherConnectionsChanges(): void {
    if (checkedThisTurn) return;
    checkedThisTurn = true;
    setImmediate(nextTurn);
    const version = dataVersion.get() as number;
    if (version !== seenVersion) {
      entries.clear();
      seenVersion = version;
    }
  }

  return {
    get(key, load) {
      forgetOtherConnectionsChanges();
      if (entries.has(key)) return entries.get(key) as V;
      const value = load(key);
      if (!db.inTransaction) {
        if (entries.size >= limit) entries.delete(entries.keys().next().value as string);
        entries.set(key, value);
      }
      return value;
    },
  };
}
