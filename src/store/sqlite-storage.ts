// The one place the SQLite stores are built: every store the app, the CLI and the sandbox use, over one open database.
// Nothing outside src/store/ prepares a statement; whoever needs a table gets its store from here.
import type { Clock } from '../lib/clock.js';
import type { SecretBox } from '../lib/crypto.js';
import type { Db } from './db.js';
import { createTokenStore, type TokenStore } from './tokens.js';
import { createLocationStore, type LocationStore } from './locations.js';
import { createCallLog } from './calls.js';
import { createSendLedger } from './ledger.js';
import { createSuppressions, type SuppressionStore } from './suppressions.js';
import { createReplyLog } from './replies.js';
import { createAuditLog, type AuditStore } from './audit.js';
import { createLocationFlags, type LocationFlagStore } from './location-flags.js';
import { createTwilioAccounts, type TwilioAccountStore } from './twilio-accounts.js';
import { createAppSenders, type AppSenders } from './app-senders.js';
import { createLineTypeCache, type LineTypeCache } from './line-types.js';
import { createDeliveryLog, type DeliveryLog } from './delivery.js';
import { createAgencyLookups, type AgencyLookups } from './agency-lookups.js';
import { createFrameOrigins, type FrameOrigins } from './frame-origins.js';
import { createInstallStatus, type InstallStatus } from './install-status.js';
import { createActivityLog, type ActivityLog } from './activity.js';
import { createStats, type StatsStore } from './stats.js';
import { createUserContextUses, type UserContextUses } from './user-context-uses.js';
import { createProcessedTwilioMessages, type ProcessedTwilioMessages } from './twilio-processed.js';
import { createForeignInstallCheck, type ForeignInstallCheck } from './foreign-installs.js';
import { createWebhookReceipts, type WebhookReceipts } from './webhook-receipts.js';
import { createRetention, type Retention } from './retention.js';
import { createDataRights, type DataRights } from './data-rights.js';
import { createSharedRateLimiter, type SharedRateLimiter } from './rate-counters.js';
import { createCallOutcomes, type CallOutcomes } from './call-outcomes.js';
import { createDatabaseHealth, type DatabaseHealth } from './database-health.js';

export interface SqliteStorageOptions {
  /** Decides the shared rate limiters' windows. */
  clock: Clock;
  /** The app-wide Twilio account (TWILIO_ACCOUNT_SID) a location may choose instead of its own; null when none. */
  appTwilioAccount: { accountSid: string; authToken: string } | null;
  /** Job kinds that are inbound events (the job registry's `inboundEventKinds`): erasure lets a pending one run. */
  inboundEventKinds: readonly string[];
}

/** Every store, built once. The workflow's ports (src/workflow/ports/storage.ts) are satisfied by the first group. */
export interface Storage {
  // ── what the workflow remembers ──
  tokens: TokenStore;
  locations: LocationStore;
  calls: ReturnType<typeof createCallLog>;
  ledger: ReturnType<typeof createSendLedger>;
  suppressions: SuppressionStore;
  replies: ReturnType<typeof createReplyLog>;
  audit: AuditStore;
  locationFlags: LocationFlagStore;
  // ── providers and HighLevel ──
  twilioAccounts: TwilioAccountStore;
  appSenders: AppSenders;
  lineTypes: LineTypeCache;
  delivery: DeliveryLog;
  processedTwilioMessages: ProcessedTwilioMessages;
  agencyLookups: AgencyLookups;
  webhookReceipts: WebhookReceipts;
  // ── the embedded page and its API ──
  frameOrigins: FrameOrigins;
  installStatus: InstallStatus;
  activity: ActivityLog;
  stats: StatsStore;
  userContextUses: UserContextUses;
  // ── operations ──
  dataRights: DataRights;
  callOutcomes: CallOutcomes;
  health: DatabaseHealth;
  /** A rate limit counted in the database (one limit across every instance); `name` keeps limiters apart. */
  rateLimiter(limit: { name: string; limit: number; windowMs: number }): SharedRateLimiter;
  /** Tells whether the database holds installs other than `ownIds` (sandbox mode's guard). */
  foreignInstallCheck(ownIds: readonly string[]): ForeignInstallCheck;
  /** Retention over these tables, pruning finished jobs through the queue it is given. */
  retentionWith(queue: { prune(before: number): number }): Retention;
  // ── the job queue's pieces (queue, inbox, job stats, backups) are built in src/compose.ts until they join here ──
}

/**
 * `box` seals tokens and Twilio credentials; null when no key is at hand (a CLI command on a sandbox database):
 * the stores that need it then throw when a sealed value is read or written, and every other store works.
 */
export function createSqliteStorage(db: Db, box: SecretBox | null, options: SqliteStorageOptions): Storage {
  const secrets = box ?? lockedBox;
  return {
    tokens: createTokenStore(db, secrets),
    locations: createLocationStore(db),
    calls: createCallLog(db),
    ledger: createSendLedger(db),
    suppressions: createSuppressions(db),
    replies: createReplyLog(db),
    audit: createAuditLog(db),
    locationFlags: createLocationFlags(db),
    twilioAccounts: createTwilioAccounts(db, secrets, { appAccount: options.appTwilioAccount }),
    appSenders: createAppSenders(db),
    lineTypes: createLineTypeCache(db),
    delivery: createDeliveryLog(db),
    processedTwilioMessages: createProcessedTwilioMessages(db),
    agencyLookups: createAgencyLookups(db),
    webhookReceipts: createWebhookReceipts(db),
    frameOrigins: createFrameOrigins(db),
    installStatus: createInstallStatus(db),
    activity: createActivityLog(db),
    stats: createStats(db),
    userContextUses: createUserContextUses(db),
    dataRights: createDataRights(db, { inboundEventKinds: options.inboundEventKinds }),
    callOutcomes: createCallOutcomes(db),
    health: createDatabaseHealth(db),
    rateLimiter: (limit) => createSharedRateLimiter(db, { ...limit, clock: options.clock }),
    foreignInstallCheck: (ownIds) => createForeignInstallCheck(db, ownIds),
    retentionWith: (queue) => createRetention(db, queue),
  };
}

const lockedBox: SecretBox = {
  seal() { throw new Error('ENCRYPTION_KEY is not set: secrets cannot be sealed'); },
  open() { throw new Error('ENCRYPTION_KEY is not set: sealed secrets cannot be opened'); },
};
