// Copies a SQLite database into an EMPTY PostgreSQL database (the CLI's migrate-to-postgres): the PostgreSQL schema is
// brought up first, then every table is copied in batches inside ONE transaction, values as they are (sealed tokens
// and Twilio secrets stay sealed: the same ENCRYPTION_KEY opens them), identity sequences are set past the copied ids,
// and the row counts of every table are compared before the commit: a mismatch rolls everything back.
import Database from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { Db } from '../db.js';
import { migratePostgres } from './migrate.js';
import { transaction, type Postgres } from './pool.js';

/** The copy cannot go ahead (target not empty, schemas apart, source in use) or did not check out; nothing was kept. */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}

export interface TableCopy { table: string; sqliteRows: number; postgresRows: number }

export interface CopyReport {
  /** Every table of the SQLite database, in the order copied (parents before the tables that reference them). */
  tables: TableCopy[];
  /** Tables SQLite has and this build's PostgreSQL schema lacks: copied only when empty (then listed here). */
  absentAndEmpty: string[];
  /** Identity columns and the next id each will hand out. */
  sequences: { table: string; column: string; next: number }[];
  sqliteVersion: number;
  postgresVersion: number;
}

export interface CopyOptions {
  /** Rows per INSERT (default 500; fewer when a table has many columns: PostgreSQL takes at most 65,535 parameters). */
  batchRows?: number;
  onTable?: (table: string, rows: number) => void;
}

interface PgColumn { table_name: string; column_name: string; data_type: string; is_identity: 'YES' | 'NO' }

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Refuses while another connection holds the SQLite file open (the app still running would keep writing where the
 * copy no longer looks): leaving WAL mode needs exclusive access, so it fails then, and changes nothing otherwise
 * (openDatabase puts WAL back).
 */
export function assertSqliteIdle(path: string): void {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    throw new CopyRefusedError(`${path}: cannot be opened (${(error as Error).message})`);
  }
  try {
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    if (/locked|busy/i.test((error as Error).message)) throw new CopyRefusedError(`${path} is in use: stop the app (every process using the database) before copying it`);
    throw error;
  } finally {
    db.close();
  }
}

/** Parents first: a table is copied after every table its foreign keys point to. */
function parentsFirst(tables: string[], edges: { child: string; parent: string }[]): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const { parent } of edges.filter((edge) => edge.child === table && edge.parent !== table)) if (tables.includes(parent)) visit(parent, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table, new Set());
  return ordered;
}

async function insertBatch(client: PoolClient, table: string, columns: string[], overriding: boolean, rows: unknown[][]): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(', ')})`);
  await client.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')})${overriding ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${tuples.join(', ')}`, values);
}

/**
 * Copies `sqlite` (read from one snapshot) into the database `pg` points at. Throws CopyRefusedError, having changed
 * nothing but the schema, when any of the target's tables holds a row, when a SQLite table or column with data has
 * nowhere to go, or when the counts differ after the copy.
 */
export async function copySqliteToPostgres(sqlite: Db, pg: Pick<Postgres, 'pool'>, options: CopyOptions = {}): Promise<CopyReport> {
  const { version: postgresVersion } = await migratePostgres(pg.pool);
  const sqliteVersion = sqlite.pragma('user_version', { simple: true }) as number;
  const batchRows = options.batchRows ?? 500;
  // One read transaction: every table is read from the same snapshot.
  sqlite.exec('BEGIN');
  try {
    return await transaction(pg.pool, async (client) => {
      // A large table takes longer than the pool's per-statement limit.
      await client.query('SET LOCAL statement_timeout = 0');
      const { rows: pgTables } = await client.query<{ name: string }>(`
        SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`);
      const targets = pgTables.map((t) => t.name);
      // Nobody else writes to them until this commits or rolls back (readers are not held up).
      if (targets.length > 0) await client.query(`LOCK TABLE ${targets.map(quote).join(', ')} IN EXCLUSIVE MODE`);
      const { rows: filled } = targets.length === 0 ? { rows: [] } : await client.query<{ name: string }>(targets.map((t, i) =>
        `SELECT $${i + 1}::text AS name WHERE EXISTS (SELECT 1 FROM ${quote(t)})`).join(' UNION ALL '), targets);
      if (filled.length > 0) {
        throw new CopyRefusedError(`the PostgreSQL database is not empty (rows in ${filled.map((t) => t.name).sort().join(', ')}): copy only into a new, empty database`);
      }

      const { rows: pgColumns } = await client.query<PgColumn>(`
        SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = current_schema()`);
      const { rows: edges } = await client.query<{ child: string; parent: string }>(`
        SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`);
      const sqliteTables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).pluck().all() as string[]);
      const countIn = (table: string) => sqlite.prepare(`SELECT COUNT(*) FROM ${quote(table)}`).pluck().get() as number;

      const absentAndEmpty: string[] = [];
      const plans = new Map<string, { columns: string[]; booleans: boolean[]; identity: string[] }>();
      for (const table of sqliteTables) {
        const columns = (sqlite.pragma(`table_info(${quote(table)})`) as { name: string }[]).map((c) => c.name);
        const target = pgColumns.filter((c) => c.table_name === table);
        if (target.length === 0) {
          if (countIn(table) > 0) throw new CopyRefusedError(`table ${table} has rows but this build's PostgreSQL schema has no such table (schema ${sqliteVersion} on SQLite, ${postgresVersion} on PostgreSQL)`);
          absentAndEmpty.push(table);
          continue;
        }
        const missing = columns.filter((name) => !target.some((c) => c.column_name === name));
        if (missing.length > 0) throw new CopyRefusedError(`table ${table}: PostgreSQL has no column ${missing.join(', ')}`);
        plans.set(table, {
          columns,
          // No PostgreSQL column is boolean where SQLite keeps 0/1 today; one that becomes so is converted here.
          booleans: columns.map((name) => target.find((c) => c.column_name === name)!.data_type === 'boolean'),
          identity: target.filter((c) => c.is_identity === 'YES').map((c) => c.column_name),
        });
      }

      const tables: TableCopy[] = [];
      const sequences: CopyReport['sequences'] = [];
      for (const table of parentsFirst([...plans.keys()], edges)) {
        const { columns, booleans, identity } = plans.get(table)!;
        const perBatch = Math.max(1, Math.min(batchRows, Math.floor(65_535 / columns.length)));
        const convert = booleans.some(Boolean);
        const select = sqlite.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}`).raw();
        let batch: unknown[][] = [];
        let copied = 0;
        for (const row of select.iterate() as IterableIterator<unknown[]>) {
          batch.push(convert ? row.map((value, i) => (booleans[i] && value !== null ? value !== 0 : value)) : row);
          if (batch.length === perBatch) {
            await insertBatch(client, table, columns, identity.length > 0, batch);
            copied += batch.length;
            batch = [];
          }
        }
        if (batch.length > 0) await insertBatch(client, table, columns, identity.length > 0, batch);
        copied += batch.length;
        for (const column of identity) {
          // The next id handed out is one past the highest copied (1 for an empty table).
          const { rows } = await client.query<{ next: number }>(`
            SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${quote(column)}), 0) + 1, false) AS next FROM ${quote(table)}`,
          [quote(table), column]);
          sequences.push({ table, column, next: rows[0].next });
        }
        const sqliteRows = countIn(table);
        const { rows: counted } = await client.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quote(table)}`);
        tables.push({ table, sqliteRows, postgresRows: counted[0].n });
        options.onTable?.(table, copied);
      }
      const wrong = tables.filter((t) => t.sqliteRows !== t.postgresRows);
      if (wrong.length > 0) {
        throw new CopyRefusedError(`row counts differ after the copy (${wrong.map((t) => `${t.table}: ${t.sqliteRows} in SQLite, ${t.postgresRows} in PostgreSQL`).join('; ')}); nothing was kept`);
      }
      return { tables, absentAndEmpty, sequences, sqliteVersion, postgresVersion };
    });
  } finally {
    sqlite.exec('COMMIT');
  }
}
