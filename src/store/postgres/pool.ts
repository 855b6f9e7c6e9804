// Opens PostgreSQL for DATABASE_URL: a pooled connection with TLS when the URL asks for it, a statement timeout, the
// application name operators see in pg_stat_activity, and 64-bit integers (epoch-ms times, ids) read as numbers.
// The settings travel as startup parameters: behind PgBouncer, list statement_timeout and options in its
// ignore_startup_parameters (and set them on the server side instead).
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Client, ClientConfig, Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** A statement running longer is cancelled by the server (default 15 s). */
  statementTimeoutMs?: number;
  /** Waiting longer for a connection (from the pool, or a new one) is an error (default 10 s). */
  connectTimeoutMs?: number;
  applicationName?: string;
  /** An idle pooled connection that breaks (server restart, network) is reported here instead of crashing. */
  onError?: (error: Error) => void;
  /**
   * Parameterised statements are prepared once per connection under a name and then only bound and executed
   * (default true): the server skips parsing and, once a plan is cached, planning. Turn it off behind a pooler that
   * cannot keep prepared statements (PgBouncer in transaction mode before 1.21, or without max_prepared_statements):
   * `pool_mode=transaction` in DATABASE_URL turns it off unless this says otherwise.
   */
  prepareStatements?: boolean;
}

/** Anything that runs a parameterised statement: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * How the server is reached: straight or through a pooler in session mode (`session`, the default), or through a
 * pooler in transaction mode (`transaction`, e.g. PgBouncer's pool_mode = transaction), where a connection is only
 * the app's for one transaction: LISTEN hears nothing and prepared statements may be gone.
 */
export type PoolMode = 'session' | 'transaction';

export interface Postgres {
  pool: Pool;
  /** From DATABASE_URL's `pool_mode` parameter. */
  poolMode: PoolMode;
  /** A connection of its own, outside the pool, with the same settings (LISTEN needs one that stays open). */
  newClient(): Client;
  /** Ends every pooled connection; idempotent. */
  close(): Promise<void>;
}

const INT8_OID = 20;

/**
 * BIGINT columns (epoch-ms times, ids, COUNT(*)) arrive as JS numbers: all of them stay far below 2^53. The driver
 * reads them as strings by default, which every store would otherwise have to convert.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * TLS as libpq reads the URL: `sslmode=disable|allow|prefer` (or none) connects in clear; `require` encrypts without
 * checking the certificate unless `sslrootcert` names a CA; `verify-ca` checks the chain; `verify-full` (and
 * `ssl=true`) checks the chain and the host name. The parameters are taken out of the URL so the driver's own reading
 * of them (stricter for `require`, with a warning) does not override this one. `pool_mode=transaction` (the app's own
 * parameter, see PoolMode) is taken out too.
 */
export function connectionConfig(url: string): { connectionString: string; ssl: false | ConnectionOptions; poolMode: PoolMode } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  const params = parsed.searchParams;
  const mode = params.get('sslmode') ?? (params.get('ssl') === 'true' || params.get('ssl') === '1' ? 'verify-full' : 'disable');
  const rootCert = params.get('sslrootcert');
  const poolMode = params.get('pool_mode') ?? 'session';
  if (poolMode !== 'session' && poolMode !== 'transaction') throw new Error(`unknown pool_mode "${poolMode}" in DATABASE_URL (session or transaction)`);
  for (const name of ['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat', 'pool_mode']) params.delete(name);
  const connectionString = parsed.toString();
  const ca = rootCert ? readFileSync(rootCert, 'utf8') : undefined;
  switch (mode) {
    case 'disable': case 'allow': case 'prefer':
      return { connectionString, ssl: false, poolMode };
    case 'require':
      return { connectionString, ssl: ca ? { ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: false }, poolMode };
    case 'verify-ca':
      return { connectionString, ssl: { ca, checkServerIdentity: () => undefined }, poolMode };
    case 'verify-full':
      return { connectionString, ssl: ca ? { ca } : {}, poolMode };
    default:
      throw new Error(`unknown sslmode "${mode}" in DATABASE_URL`);
  }
}

export function openPostgres(url: string, options: PostgresOptions = {}): Postgres {
  const { connectionString, ssl, poolMode } = connectionConfig(url);
  const config: ClientConfig = {
    connectionString,
    ssl,
    types,
    application_name: options.applicationName ?? 'textback',
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // Every statement here is short; a JIT compile (tens of ms) once a plan's estimated cost crosses the threshold
    // would only slow claims down.
    options: '-c jit=off',
    // Pooled connections stay open through quiet hours (see the pool below): TCP keep-alives keep a NAT or a
    // firewall from dropping them silently, and notice a peer that has gone.
    keepAlive: true,
  };
  const max = options.max ?? 10;
  // Pooled connections stay open (min = max; the driver would close one idle for 10 s). A connection opened afresh
  // costs the server a process, and its first statements pay for the catalog caches, the prepared statements and
  // the functions' plans again: a burst after a quiet spell waited on that (end-to-end p99 495 → 179 ms at
  // 200 calls/s, measured 2026-12-03). A broken connection is still dropped and replaced on demand.
  const pool = new pg.Pool({ ...config, max, min: max });
  if (options.prepareStatements ?? poolMode === 'session') pool.on('connect', prepareByName);
  const onError = options.onError ?? (() => {});
  pool.on('error', onError);
  let closing: Promise<void> | undefined;
  return {
    pool,
    poolMode,
    newClient: () => new pg.Client(config),
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}

const statementNames = new Map<string, string>();
let statementsNamed = 0;

/** A name per statement text, the same on every connection of the process, in the order texts are first seen. */
function nameOf(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `textback_${++statementsNamed}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Makes a pooled connection prepare each parameterised statement once, by name (the driver then sends only Bind and
 * Execute). A statement without values (BEGIN, COMMIT, DDL, several statements in one string) runs as before.
 * A prepared `SELECT *` fails with "cached plan must not change result type" once a rolling deploy's migration adds a
 * column: that statement is then run once more unprepared (the error comes before anything ran; inside a
 * transaction, which the error has aborted, the caller's retry does it) and prepared afresh under a new name next time.
 */
function prepareByName(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const stalePlan = (error: unknown) => (error as { code?: string })?.code === '0A000'
    && /cached plan must not change result type/.test((error as Error).message ?? '');
  // The pool calls with a callback; stores inside a transaction call a client without one.
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text !== 'string' || !Array.isArray(values)) return query(text, values, callback);
    const prepared = { name: nameOf(text), text, values };
    if (typeof callback === 'function') {
      return query(prepared, (error: unknown, result: unknown) => {
        if (!stalePlan(error)) return callback(error, result);
        statementNames.delete(text);
        query(text, values, callback);
      });
    }
    return (query(prepared) as Promise<QueryResult>).catch((error: unknown) => {
      if (!stalePlan(error)) throw error;
      statementNames.delete(text);
      return query(text, values);
    });
  };
}

/** Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled back when it throws. */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection itself failed: it must not go back into the pool.
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
