// The locations rows every decision reads (twice per missed call), kept in memory until anything could have changed
// them: a write to `locations` or `location_numbers` on this connection, whichever store made it (temporary triggers
// call back into this process), or a commit by another connection to the same file (PRAGMA data_version: a CLI
// command, a second process). SQLite only: on PostgreSQL other instances write, and every read goes to the database.
import type { Db } from './db.js';

const WATCHED_TABLES = ['locations', 'location_numbers'] as const;
const CHANGED_FUNCTION = 'textback_location_rows_changed';

/** Per connection: the caches to clear when a watched table changes (the SQL function is registered once per db). */
const listenersOf = new WeakMap<Db, Set<() => void>>();

function onLocationWrites(db: Db, listener: () => void): void {
  let listeners = listenersOf.get(db);
  if (!listeners) {
    const registered = new Set<() => void>();
    listeners = registered;
    listenersOf.set(db, registered);
    db.function(CHANGED_FUNCTION, { deterministic: false, varargs: false }, () => {
      for (const clear of registered) clear();
      return null;
    });
    for (const table of WATCHED_TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS textback_${table}_${event.toLowerCase()}_watch
          AFTER ${event} ON main.${table} BEGIN SELECT ${CHANGED_FUNCTION}(); END`);
      }
    }
  }
  listeners.add(listener);
}

export interface RowCache<V> {
  /** The cached value for `key`, or `load(key)`, remembered unless a transaction is open (it might roll back). */
  get(key: string, load: (key: string) => V): V;
}

/** At most `limit` keys (the oldest is dropped first). */
export function createLocationRowsCache<V>(db: Db, limit = 5_000): RowCache<V> {
  const entries = new Map<string, V>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get() as number;
  onLocationWrites(db, () => entries.clear());
  return {
    get(key, load) {
      const version = dataVersion.get() as number;
      if (version !== seenVersion) {
        entries.clear();
        seenVersion = version;
      }
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
