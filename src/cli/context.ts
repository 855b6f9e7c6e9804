// What every CLI command is given (output streams, configuration, clock, fetch) and the helpers they share:
// option parsing with usage errors, the database opened from the configuration (and its stores, on SQLite or on
// PostgreSQL when DATABASE_URL is set), phone arguments.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Clock } from '../lib/clock.js';
import { toE164 } from '../lib/phone.js';
import { createSecretBox } from '../lib/crypto.js';
import { openDatabase, type Db } from '../store/db.js';
import { createSqliteStorage } from '../store/sqlite-storage.js';
import type { CloseStorage, Storage } from '../store/storage.js';
import { inboundEventKinds, priorityOf } from '../jobs/registry.js';

export interface CliContext {
  /** Standard output: the command's result (data, report). */
  out(text: string): void;
  /** Standard error: progress, warnings, errors. */
  err(text: string): void;
  /** loadConfigFromProcess() in production; throws ConfigError. */
  loadConfig(): Config;
  clock: Clock;
  fetch: typeof fetch;
}

export interface CliCommand {
  /** One line per form, without the program name, e.g. "export --location <id> --phone <number> [--format json|csv]". */
  usage: string;
  /** Exit code: 0 success, 1 failure, 2 bad usage. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Wrong arguments: the runner prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command could not do its work: the runner prints the message and exits 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Parsed<S extends OptionSpec> = { [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean };

/** Parses `--name value` options strictly (unknown options are usage errors) and checks the required ones. */
export function parseOptions<S extends OptionSpec>(args: string[], spec: S, required: (keyof S & string)[] = [], positionals = 0): { values: Parsed<S>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: positionals > 0 });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const name of required) {
    const value = parsed.values[name];
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  return { values: parsed.values as Parsed<S>, positionals: parsed.positionals };
}

/** The number in E.164, or a usage error naming the option. */
export function phoneArgument(raw: string | undefined, option = '--phone'): string {
  const phone = raw ? toE164(raw) : null;
  if (!phone) throw new UsageError(`${option}: not a valid phone number (use E.164, e.g. +15125550123)`);
  return phone;
}

/** Opens (and migrates) the configured database for the duration of `work`. */
export async function withDatabase<T>(ctx: CliContext, work: (db: Db, config: Config) => Promise<T> | T): Promise<T> {
  const config = ctx.loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    return await work(db, config);
  } finally {
    db.close();
  }
}

/** The configured database for messages: the SQLite file, or the PostgreSQL URL without its password. */
export function databaseLabel(config: Pick<Config, 'databasePath' | 'databaseUrl'>): string {
  if (!config.databaseUrl) return config.databasePath;
  try {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

/**
 * The app's stores on the configured database, opened and migrated by the factory the app uses: PostgreSQL when
 * DATABASE_URL is set (a small pool, no LISTEN: a command claims no jobs), else the SQLite file. The caller closes it.
 */
export async function openStorage(ctx: Pick<CliContext, 'clock'>, config: Config): Promise<{ storage: Storage; close: CloseStorage }> {
  const box = config.encryptionKey ? createSecretBox(config.encryptionKey) : null;
  const options = { clock: ctx.clock, appTwilioAccount: config.twilio, inboundEventKinds, priorityOf };
  if (config.databaseUrl) {
    // Loaded only here: the SQLite commands never load pg.
    const { openPostgresStorage } = await import('../store/postgres/postgres-storage.js');
    return openPostgresStorage(config.databaseUrl, box, { ...options, listen: false, pool: { max: 2, applicationName: 'textback-cli' } });
  }
  const db = openDatabase(config.databasePath);
  try {
    return { storage: createSqliteStorage(db, box, options), close: () => { db.close(); } };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens (and migrates) the configured database, SQLite or PostgreSQL, for the duration of `work` and hands it the
 * app's stores (the job queue among them). Without ENCRYPTION_KEY (sandbox mode keeps its own) sealed tokens and
 * Twilio secrets cannot be read; nothing else needs it.
 */
export async function withStorage<T>(ctx: CliContext, work: (storage: Storage, config: Config) => Promise<T> | T): Promise<T> {
  const config = ctx.loadConfig();
  const opened = await openStorage(ctx, config);
  try {
    return await work(opened.storage, config);
  } finally {
    await opened.close();
  }
}
