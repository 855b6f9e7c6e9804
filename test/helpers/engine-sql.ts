// SQL of a test's own on either engine (Harness.sql): written once with `?` placeholders (numbered $1, $2… for
// PostgreSQL), every answer a promise. Write SQL both engines read: no json_set or pragma (SQLite), no ::casts or
// ILIKE (PostgreSQL); read a JSON column, change it in TypeScript and write it back instead.
import type { Db } from '../../src/store/db.js';
import type { Postgres } from '../../src/store/postgres/pool.js';

export interface EngineSql {
  /** Every row. */
  all<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | undefined>;
  /** The first column of the first row (a COUNT(*), a decision), or undefined when there is no row. */
  value<T = unknown>(text: string, ...params: unknown[]): Promise<T | undefined>;
  /** The first column of every row. */
  column<T = unknown>(text: string, ...params: unknown[]): Promise<T[]>;
  /** A statement; answers how many rows it changed. */
  run(text: string, ...params: unknown[]): Promise<number>;
}

/** `?` → `$1`, `$2`… (no test SQL puts a `?` inside a string literal). */
export const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

const firstColumn = (row: Record<string, unknown> | undefined) => (row === undefined ? undefined : Object.values(row)[0]);

/**
 * PostgreSQL folds unquoted names to lower case (`AS planId` answers `planid`): the aliases the query wrote, by their
 * folded name, so rows come back keyed as on SQLite.
 */
function aliasCase(text: string, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const aliases = new Map([...text.matchAll(/\bAS\s+([A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => [m[1].toLowerCase(), m[1]]));
  if (![...aliases].some(([folded, written]) => folded !== written)) return rows;
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [aliases.get(key) ?? key, value])));
}

export function engineSql(on: { sqlite: Db } | { postgres: Postgres }): EngineSql {
  const all = 'sqlite' in on
    ? async (text: string, params: unknown[]) => on.sqlite.prepare(text).all(...params) as Record<string, unknown>[]
    : async (text: string, params: unknown[]) => aliasCase(text, (await on.postgres.pool.query(numbered(text), params)).rows as Record<string, unknown>[]);
  return {
    all: async <T>(text: string, ...params: unknown[]) => (await all(text, params)) as T[],
    get: async <T>(text: string, ...params: unknown[]) => (await all(text, params))[0] as T | undefined,
    value: async <T>(text: string, ...params: unknown[]) => firstColumn((await all(text, params))[0]) as T | undefined,
    column: async <T>(text: string, ...params: unknown[]) => (await all(text, params)).map((row) => firstColumn(row)) as T[],
    run: 'sqlite' in on
      ? async (text, ...params) => on.sqlite.prepare(text).run(...params).changes
      : async (text, ...params) => (await on.postgres.pool.query(numbered(text), params)).rowCount ?? 0,
  };
}
