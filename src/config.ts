// The only reader of process.env: every setting of CONTRACT.md, validated once with zod into a typed Config.
import { z } from 'zod';

const DEFAULT_API_URL = 'https://services.leadconnectorhq.com';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_PATH: z.string().min(1).default('./data/textback.sqlite'),
  HIGHLEVEL_CLIENT_ID: optionalText,
  HIGHLEVEL_CLIENT_SECRET: optionalText,
  HIGHLEVEL_SHARED_SECRET: optionalText,
  HIGHLEVEL_API_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_API_URL),
  HIGHLEVEL_MARKETPLACE_URL: z.url({ protocol: /^https?$/ }).default('https://marketplace.gohighlevel.com'),
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
  FRAME_ANCESTORS: z
    .string()
    .default('https://app.gohighlevel.com https://*.gohighlevel.com https://app.leadconnectorhq.com https://*.leadconnectorhq.com https://*.msgsndr.com')
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
  databasePath: string;
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
  };
  /** 32-byte AES key, base64. Undefined only in sandbox mode, where main.ts provides one. */
  encryptionKey: string | undefined;
  twilio: { accountSid: string; authToken: string } | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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
    databasePath: vars.DATABASE_PATH,
    highLevel: {
      clientId,
      clientSecret: vars.HIGHLEVEL_CLIENT_SECRET ?? 'sandbox-secret',
      sharedSecret: vars.HIGHLEVEL_SHARED_SECRET ?? 'sandbox-shared-secret',
      appId: clientId.split('-')[0],
      apiUrl: vars.HIGHLEVEL_API_URL.replace(/\/+$/, ''),
      marketplaceUrl: vars.HIGHLEVEL_MARKETPLACE_URL.replace(/\/+$/, ''),
      webhookKeysPem: vars.HIGHLEVEL_WEBHOOK_KEYS,
    },
    encryptionKey: vars.ENCRYPTION_KEY,
    twilio: vars.TWILIO_ACCOUNT_SID && vars.TWILIO_AUTH_TOKEN
      ? { accountSid: vars.TWILIO_ACCOUNT_SID, authToken: vars.TWILIO_AUTH_TOKEN }
      : null,
    logLevel: vars.LOG_LEVEL,
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
