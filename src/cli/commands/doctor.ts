// `doctor`: checks a deployment end to end: configuration, the database (opens, migrates, then SQLite's quick_check or
// PostgreSQL's health check), the encryption key against a stored token, the webhook keys, HighLevel's reachability,
// backups, and installations needing reconnect.
import { accessSync, constants, existsSync } from 'node:fs';
import { ConfigError, type Config } from '../../config.js';
import { errorMessage } from '../../lib/errors.js';
import type { CloseStorage, Storage } from '../../store/storage.js';
import { MIGRATIONS } from '../../store/migrations/index.js';
import { POSTGRES_MIGRATIONS } from '../../store/postgres/migrations/index.js';
import { listBackups } from '../../store/backup.js';
import { loadDefaultWebhookKeys, parsePublicKeys } from '../../highlevel/webhook-signature.js';
import { EXIT, databaseLabel, openStorage, parseOptions, type CliCommand, type CliContext } from '../context.js';

type Status = 'ok' | 'warn' | 'FAIL' | 'skip';
interface Finding { status: Status; check: string; detail: string }

const REACH_TIMEOUT_MS = 5_000;

export const command: CliCommand = {
  usage: 'doctor',
  async run(args, ctx) {
    parseOptions(args, {});
    const findings: Finding[] = [];
    const report = (status: Status, check: string, detail: string) => {
      findings.push({ status, check, detail });
      ctx.out(`${status.padEnd(4)}  ${check}: ${detail}`);
    };

    let config: Config;
    try {
      config = ctx.loadConfig();
      report('ok', 'config', `${config.mode} mode, NODE_ENV=${config.env}, database ${databaseLabel(config)}`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) report('FAIL', 'config', problem);
      return EXIT.failed;
    }

    const opened = await checkDatabase(ctx, config, report);
    if (opened) {
      try {
        await checkEncryptionKey(opened.storage, config, report);
        await checkReconnects(opened.storage, report);
      } finally {
        await opened.close();
      }
    }
    checkWebhookKeys(config, report);
    await checkHighLevel(ctx, config, report);
    checkBackups(config, report, ctx.clock.now());

    const failed = findings.filter((f) => f.status === 'FAIL').length;
    ctx.err(failed ? `${failed} check(s) failed` : 'all checks passed');
    return failed ? EXIT.failed : EXIT.ok;
  },
};

type Report = (status: Status, check: string, detail: string) => void;

/** The database's stores (SQLite, or PostgreSQL when DATABASE_URL is set), with the configured key (if any) sealing and opening tokens. */
async function checkDatabase(ctx: CliContext, config: Config, report: Report): Promise<{ storage: Storage; close: CloseStorage } | null> {
  if (!config.databaseUrl && config.databasePath !== ':memory:' && !existsSync(config.databasePath)) {
    report('warn', 'database', `${config.databasePath} does not exist yet (the app creates it at its first start)`);
    return null;
  }
  let opened: { storage: Storage; close: CloseStorage } | undefined;
  try {
    opened = await openStorage(ctx, config);
    // SQLite: quick_check reads every page. PostgreSQL: invalid indexes and counted checksum failures (its WAL keeps
    // pages consistent); see the engines' database-health stores.
    const check = await opened.storage.health.quickCheck();
    const [checkName, version] = config.databaseUrl ? ['health check', POSTGRES_MIGRATIONS.length] : ['quick_check', MIGRATIONS.length];
    if (check !== 'ok') report('FAIL', 'database', `${checkName}: ${check}`);
    else report('ok', 'database', `${config.databaseUrl ? 'PostgreSQL answers' : 'opens'} and is migrated (schema version ${version}); ${checkName} ok`);
    return opened;
  } catch (error) {
    report('FAIL', 'database', `${databaseLabel(config)}: ${errorMessage(error)}`);
    await opened?.close();
    return null;
  }
}

async function checkEncryptionKey(storage: Storage, config: Config, report: Report): Promise<void> {
  if (!config.encryptionKey) {
    report(config.mode === 'sandbox' ? 'skip' : 'FAIL', 'encryption key', 'ENCRYPTION_KEY is not set (sandbox mode keeps its own key)');
    return;
  }
  const newest = await storage.tokens.newestOwner();
  if (!newest) {
    report('ok', 'encryption key', 'valid; no stored token to try it on yet');
    return;
  }
  try {
    // Reading a token opens its access token with the configured key.
    await storage.tokens.get(newest.ownerId);
    report('ok', 'encryption key', `opens the stored ${newest.ownerType} token most recently saved`);
  } catch {
    report('FAIL', 'encryption key', 'ENCRYPTION_KEY cannot open the stored tokens (was the key changed or the database copied from elsewhere?)');
  }
}

async function checkReconnects(storage: Storage, report: Report): Promise<void> {
  const rows = await storage.tokens.needingReconnect();
  if (rows.length === 0) report('ok', 'installations', 'none needs reconnecting');
  for (const row of rows) report('warn', 'installations', `${row.ownerType} ${row.ownerId} needs reconnecting: ${row.reason ?? 'no reason recorded'}`);
}

function checkWebhookKeys(config: Config, report: Report): void {
  try {
    const keys = parsePublicKeys(config.highLevel.webhookKeysPem ?? loadDefaultWebhookKeys());
    const types = keys.map((key) => key.asymmetricKeyType).join(', ');
    report('ok', 'webhook keys', `${keys.length} key(s) (${types})${config.highLevel.webhookKeysPem ? '' : ", HighLevel's published keys"}`);
  } catch (error) {
    report('FAIL', 'webhook keys', errorMessage(error));
  }
}

async function checkHighLevel(ctx: CliContext, config: Config, report: Report): Promise<void> {
  const url = config.highLevel.apiUrl;
  if (config.mode === 'sandbox') {
    report('skip', 'highlevel', 'sandbox mode uses the built-in stand-in, not HIGHLEVEL_API_URL');
    return;
  }
  const started = Date.now();
  try {
    // Any HTTP answer, even 404, proves DNS, TLS and the route to HighLevel work.
    const response = await ctx.fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(REACH_TIMEOUT_MS), headers: { connection: 'close' } });
    report('ok', 'highlevel', `${url} answered HTTP ${response.status} in ${Date.now() - started} ms`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${REACH_TIMEOUT_MS / 1000} s` : cause ?? errorMessage(error);
    report('FAIL', 'highlevel', `${url} is not reachable: ${reason}`);
  }
}

function checkBackups(config: Config, report: Report, now: number): void {
  if (config.databaseUrl) {
    report('skip', 'backups', 'the data is in PostgreSQL: BACKUP_DIR file backups are SQLite\'s; back it up with pg_dump or your provider\'s backups');
    return;
  }
  if (!config.backup) {
    report('warn', 'backups', 'BACKUP_DIR is not set: no scheduled backups');
    return;
  }
  const { dir, intervalHours } = config.backup;
  try {
    if (existsSync(dir)) accessSync(dir, constants.W_OK);
  } catch {
    report('FAIL', 'backups', `${dir} is not writable`);
    return;
  }
  const newest = listBackups(dir, config.databasePath)[0];
  if (!newest) return report('warn', 'backups', `no backup in ${dir} yet`);
  const ageHours = (now - newest.takenAt) / 3_600_000;
  report(ageHours > 2 * intervalHours ? 'warn' : 'ok', 'backups', `newest is ${ageHours.toFixed(1)} h old (${newest.path})`);
}
