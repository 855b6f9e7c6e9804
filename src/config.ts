// The only reader of process.env: every setting of CONTRACT.md, validated once with zod into a typed Config.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

const DEFAULT_API_URL = 'https://services.leadconnectorhq.com';
/** The production database file; sandbox mode never opens it. */
export const DEFAULT_DATABASE_PATH = './data/textback.sqlite';
/** Sandbox mode's own database file (its key and state file live beside it). */
export const SANDBOX_DATABASE_PATH = './data/sandbox.sqlite';
/** libpq's sslmode values (src/store/postgres/pool.ts reads them the same way). */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** A postgres:// or postgresql:// URL naming a host, with a known sslmode if any; the value itself is never echoed. */
function isPostgresUrl(value: string): boolean {
  if (!/^postgres(ql)?:\/\//i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  const mode = url.searchParams.get('sslmode');
  const poolMode = url.searchParams.get('pool_mode');
  return url.hostname !== '' && (mode === null || SSL_MODES.includes(mode)) && (poolMode === null || poolMode === 'session' || poolMode === 'transaction');
}

/** Express's names for loopback, link-local and private (RFC 1918, fc00::/7) ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One TRUSTED_PROXIES entry: a range name, an address, or an address/prefix. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_PATH: optionalText,
  DATABASE_URL: optionalText.refine((url) => url === undefined || isPostgresUrl(url), {
    message: `must be a PostgreSQL URL, postgres://user:password@host:5432/database (or postgresql://…), with sslmode one of ${SSL_MODES.join(', ')} and pool_mode session or transaction if given`,
  }),
  HIGHLEVEL_CLIENT_ID: optionalText,
  HIGHLEVEL_CLIENT_SECRET: optionalText,
  HIGHLEVEL_SHARED_SECRET: optionalText,
  HIGHLEVEL_API_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_API_URL),
  HIGHLEVEL_MARKETPLACE_URL: z.url({ protocol: /^https?$/ }).default('https://marketplace.gohighlevel.com'),
  // The app's custom conversation channel (marketplace app → Conversation Providers): Twilio texts shown in HighLevel.
  HIGHLEVEL_CONVERSATION_PROVIDER_ID: optionalText.refine((id) => id === undefined || /^[A-Za-z0-9_-]{1,64}$/.test(id), {
    message: 'must be the conversation provider id the developer portal shows (letters and digits)',
  }),
  HIGHLEVEL_WEBHOOK_KEYS: optionalText.refine((pem) => pem === undefined || pem.includes('BEGIN PUBLIC KEY'), {
    message: 'must hold one or more PEM public keys (-----BEGIN PUBLIC KEY-----)',
  }),
  ENCRYPTION_KEY: optionalText.refine((key) => key === undefined || Buffer.from(key, 'base64').length === 32, {
    message: 'must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
  }),
  TWILIO_ACCOUNT_SID: optionalText.refine((sid) => sid === undefined || /^AC[0-9a-fA-F]{32}$/.test(sid), {
    message: 'must look like AC followed by 32 hex characters',
  }),
  TWILIO_AUTH_TOKEN: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_TOKEN: optionalText.refine((token) => token === undefined || token.length >= 16, {
    message: 'must be at least 16 characters (e.g. `openssl rand -hex 24`)',
  }),
  TRUSTED_PROXIES: z
    .string()
    .default(PROXY_RANGE_NAMES.join(','))
    .transform((list) => list.split(/[\s,]+/).filter(Boolean))
    .refine((entries) => entries.every((entry) => entry === 'none' ? entries.length === 1 : isProxyEntry(entry)), {
      message: 'must list loopback, linklocal, uniquelocal, IP addresses or CIDR ranges (comma-separated), or be none',
    }),
  // Extra origins: HighLevel's own domains and learned white-label domains are always allowed (src/http/frame-ancestors.ts).
  FRAME_ANCESTORS: z
    .string()
    .default('')
    .transform((list) => list.split(/[\s,]+/).filter(Boolean)),
  BACKUP_DIR: optionalText,
  BACKUP_INTERVAL_HOURS: z.coerce.number().positive().max(24 * 7).default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(7),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  UNINSTALL_PURGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  mode: 'live' | 'sandbox';
  port: number;
  publicUrl: string;
  /** The SQLite file: the database unless databaseUrl is set (the CLI's migrate-to-postgres copies from it). */
  databasePath: string;
  /** DATABASE_URL: PostgreSQL instead of SQLite, shared by any number of instances; null: SQLite (the default). */
  databaseUrl: string | null;
  highLevel: {
    clientId: string;
    clientSecret: string;
    sharedSecret: string;
    /** The part of the client id before the first `-`; webhooks carry it as `appId`. */
    appId: string;
    apiUrl: string;
    marketplaceUrl: string;
    /** PEM bundle; undefined means HighLevel's published keys (marketplace/keys/). */
    webhookKeysPem: string | undefined;
    /** The custom conversation channel Twilio texts are shown in; null: they are not shown in HighLevel. */
    conversationProviderId: string | null;
    /** HTTPS_PROXY, HTTP_PROXY or ALL_PROXY is set: API requests go through axios's own adapter, which honours them. */
    viaProxy: boolean;
  };
  /** 32-byte AES key, base64. Undefined only in sandbox mode, where main.ts provides one. */
  encryptionKey: string | undefined;
  twilio: { accountSid: string; authToken: string } | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Bearer token GET /metrics requires; null: /metrics answers 404. */
  metricsToken: string | null;
  /** Proxies whose X-Forwarded-For is believed (express `trust proxy` entries); empty: none. */
  trustedProxies: string[];
  frameAncestors: string[];
  backup: { dir: string; intervalHours: number; keep: number } | null;
  retention: { months: number; uninstallPurgeDays: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** What axios (through proxy-from-env) reads for a proxy, in either case. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

const CREDENTIALS = ['HIGHLEVEL_CLIENT_ID', 'HIGHLEVEL_CLIENT_SECRET', 'HIGHLEVEL_SHARED_SECRET'] as const;

/** Parses the environment; throws ConfigError with one line per bad or missing variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
  }
  const vars = parsed.data;
  const missingCredentials = CREDENTIALS.filter((name) => vars[name] === undefined);
  const sandbox = missingCredentials.length === CREDENTIALS.length && vars.NODE_ENV !== 'production';
  const problems: string[] = [];
  if (!sandbox) {
    for (const name of missingCredentials) problems.push(`${name}: required (no sandbox ${sandboxRefusal(vars.NODE_ENV)})`);
    if (!vars.ENCRYPTION_KEY) problems.push('ENCRYPTION_KEY: required outside sandbox mode (32 bytes, base64)');
  }
  // The sandbox's shared secret is public: it must never run on the production database file.
  if (sandbox && vars.DATABASE_PATH && resolve(vars.DATABASE_PATH) === resolve(DEFAULT_DATABASE_PATH)) {
    problems.push(`DATABASE_PATH: sandbox mode never uses the production database ${DEFAULT_DATABASE_PATH}; unset it (the sandbox keeps ${SANDBOX_DATABASE_PATH}) or configure the HighLevel credentials`);
  }
  // Nor on the production PostgreSQL: the sandbox keeps its own SQLite file.
  if (sandbox && vars.DATABASE_URL) {
    problems.push('DATABASE_URL: sandbox mode never uses PostgreSQL (it keeps its own SQLite file); unset it or configure the HighLevel credentials');
  }
  // The scheduled backups copy a SQLite file: on PostgreSQL they would copy nothing the app uses.
  if (vars.DATABASE_URL && vars.BACKUP_DIR) {
    problems.push('BACKUP_DIR: scheduled backups are for SQLite; with DATABASE_URL back up PostgreSQL with pg_dump (or your provider\'s backups) and unset BACKUP_DIR');
  }
  if (Boolean(vars.TWILIO_ACCOUNT_SID) !== Boolean(vars.TWILIO_AUTH_TOKEN)) {
    problems.push(`${vars.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID'}: set both Twilio variables or neither`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const clientId = vars.HIGHLEVEL_CLIENT_ID ?? 'sandbox-app';
  return {
    env: vars.NODE_ENV,
    mode: sandbox ? 'sandbox' : 'live',
    port: vars.PORT,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
    databasePath: vars.DATABASE_PATH ?? (sandbox ? SANDBOX_DATABASE_PATH : DEFAULT_DATABASE_PATH),
    databaseUrl: vars.DATABASE_URL ?? null,
    highLevel: {
      clientId,
      clientSecret: vars.HIGHLEVEL_CLIENT_SECRET ?? 'sandbox-secret',
      sharedSecret: vars.HIGHLEVEL_SHARED_SECRET ?? 'sandbox-shared-secret',
      appId: clientId.split('-')[0],
      apiUrl: vars.HIGHLEVEL_API_URL.replace(/\/+$/, ''),
      marketplaceUrl: vars.HIGHLEVEL_MARKETPLACE_URL.replace(/\/+$/, ''),
      webhookKeysPem: vars.HIGHLEVEL_WEBHOOK_KEYS,
      conversationProviderId: vars.HIGHLEVEL_CONVERSATION_PROVIDER_ID ?? null,
      viaProxy: PROXY_VARIABLES.some((name) => Boolean(env[name])),
    },
    encryptionKey: vars.ENCRYPTION_KEY,
    twilio: vars.TWILIO_ACCOUNT_SID && vars.TWILIO_AUTH_TOKEN
      ? { accountSid: vars.TWILIO_ACCOUNT_SID, authToken: vars.TWILIO_AUTH_TOKEN }
      : null,
    logLevel: vars.LOG_LEVEL,
    metricsToken: vars.METRICS_TOKEN ?? null,
    trustedProxies: vars.TRUSTED_PROXIES.filter((entry) => entry !== 'none'),
    frameAncestors: vars.FRAME_ANCESTORS,
    backup: vars.BACKUP_DIR
      ? { dir: vars.BACKUP_DIR, intervalHours: vars.BACKUP_INTERVAL_HOURS, keep: vars.BACKUP_KEEP }
      : null,
    retention: { months: vars.RETENTION_MONTHS, uninstallPurgeDays: vars.UNINSTALL_PURGE_DAYS },
  };
}

function sandboxRefusal(env: string): string {
  return env === 'production' ? 'mode with NODE_ENV=production' : 'mode once any HighLevel credential is set';
}

/** Reads `.env` (if present) into process.env without overriding what is already set, then validates. */
export function loadConfigFromProcess(): Config {
  try {
    process.loadEnvFile();
  } catch {
    // no .env file: the environment alone configures the app
  }
  return loadConfig(process.env);
}
