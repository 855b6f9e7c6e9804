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
}

/** Anything that runs a parameterised statement: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export interface Postgres {
  pool: Pool;
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
 * of them (stricter for `require`, with a warning) does not override this one.
 */
export function connectionConfig(url: string): { connectionString: string; ssl: false | ConnectionOptions } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  const params = parsed.searchParams;
  const mode = params.get('sslmode') ?? (params.get('ssl') === 'true' || params.get('ssl') === '1' ? 'verify-full' : 'disable');
  const rootCert = params.get('sslrootcert');
  for (const name of ['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat']) params.delete(name);
  const connectionString = parsed.toString();
  const ca = rootCert ? readFileSync(rootCert, 'utf8') : undefined;
  switch (mode) {
    case 'disable': case 'allow': case 'prefer':
      return { connectionString, ssl: false };
    case 'require':
      return { connectionString, ssl: ca ? { ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: false } };
    case 'verify-ca':
      return { connectionString, ssl: { ca, checkServerIdentity: () => undefined } };
    case 'verify-full':
      return { connectionString, ssl: ca ? { ca } : {} };
    default:
      throw new Error(`unknown sslmode "${mode}" in DATABASE_URL`);
  }
}

export function openPostgres(url: string, options: PostgresOptions = {}): Postgres {
  const { connectionString, ssl } = connectionConfig(url);
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
  };
  const pool = new pg.Pool({ ...config, max: options.max ?? 10 });
  const onError = options.onError ?? (() => {});
  pool.on('error', onError);
  let closing: Promise<void> | undefined;
  return {
    pool,
    newClient: () => new pg.Client(config),
    close() {
      closing ??= pool.end();
      return closing;
    },
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
