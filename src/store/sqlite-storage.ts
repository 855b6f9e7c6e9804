// The one place the SQLite stores are built: every store the app, the CLI and the sandbox use, over one open database,
// as the engine-neutral Storage (storage.ts). Nothing outside src/store/ prepares a statement; whoever needs a table
// gets its store from here.
import type { Clock } from '../lib/clock.js';
import type { SecretBox } from '../lib/crypto.js';
import type { Db } from './db.js';
import { createTokenStore } from './tokens.js';
import { createLocationStore } from './locations.js';
import { createCallLog } from './calls.js';
import { createSendLedger } from './ledger.js';
import { createSuppressions } from './suppressions.js';
import { createReplyLog } from './replies.js';
import { createAuditLog } from './audit.js';
import { createLocationFlags } from './location-flags.js';
import { createTwilioAccounts } from './twilio-accounts.js';
import { createAppSenders } from './app-senders.js';
import { createLineTypeCache } from './line-types.js';
import { createDeliveryLog } from './delivery.js';
import { createAgencyLookups } from './agency-lookups.js';
import { createFrameOrigins } from './frame-origins.js';
import { createInstallStatus } from './install-status.js';
import { createActivityLog } from './activity.js';
import { createStats } from './stats.js';
import { createUserContextUses } from './user-context-uses.js';
import { createProcessedTwilioMessages } from './twilio-processed.js';
import { createForeignInstallCheck } from './foreign-installs.js';
import { createWebhookReceipts } from './webhook-receipts.js';
import { createRetention } from './retention.js';
import { createDataRights } from './data-rights.js';
import { createSharedRateLimiter } from './rate-counters.js';
import { createCallOutcomes } from './call-outcomes.js';
import { createDatabaseHealth } from './database-health.js';
import { createConversationMessages } from './conversation-messages.js';
import { createProviderReceipts } from './provider-receipts.js';
import { createJobQueue } from './job-queue.js';
import { createWebhookInbox } from './webhook-inbox.js';
import { createJobStats } from './job-stats.js';
import { createCallerFacts } from './caller-facts.js';
import type { Storage } from './storage.js';

export type { Storage } from './storage.js';

export interface SqliteStorageOptions {
  /** Decides the shared rate limiters' windows. */
  clock: Clock;
  /** The app-wide Twilio account (TWILIO_ACCOUNT_SID) a location may choose instead of its own; null when none. */
  appTwilioAccount: { accountSid: string; authToken: string } | null;
  /** Job kinds that are inbound events (the job registry's `inboundEventKinds`): erasure lets a pending one run. */
  inboundEventKinds: readonly string[];
  /** Each job kind's priority (the job registry's `priorityOf`), for jobs enqueued without one. */
  priorityOf?: (kind: string) => number;
}

/**
 * `box` seals tokens and Twilio credentials; null when no key is at hand (a CLI command on a sandbox database):
 * the stores that need it then throw when a sealed value is read or written, and every other store works.
 */
export function createSqliteStorage(db: Db, box: SecretBox | null, options: SqliteStorageOptions): Storage {
  const secrets = box ?? lockedBox;
  const queue = createJobQueue(db, { priorityOf: options.priorityOf });
  const webhookReceipts = createWebhookReceipts(db);
  const providerReceipts = createProviderReceipts(db);
  return {
    tokens: createTokenStore(db, secrets),
    locations: createLocationStore(db),
    calls: createCallLog(db),
    ledger: createSendLedger(db, queue),
    suppressions: createSuppressions(db),
    replies: createReplyLog(db),
    audit: createAuditLog(db),
    locationFlags: createLocationFlags(db),
    callerFacts: createCallerFacts(db),
    twilioAccounts: createTwilioAccounts(db, secrets, { appAccount: options.appTwilioAccount }),
    appSenders: createAppSenders(db),
    lineTypes: createLineTypeCache(db),
    delivery: createDeliveryLog(db),
    processedTwilioMessages: createProcessedTwilioMessages(db),
    agencyLookups: createAgencyLookups(db),
    webhookReceipts,
    conversationMessages: createConversationMessages(db),
    providerReceipts,
    frameOrigins: createFrameOrigins(db),
    installStatus: createInstallStatus(db),
    activity: createActivityLog(db),
    stats: createStats(db),
    userContextUses: createUserContextUses(db),
    dataRights: createDataRights(db, { inboundEventKinds: options.inboundEventKinds }),
    callOutcomes: createCallOutcomes(db),
    health: createDatabaseHealth(db),
    queue,
    inbox: createWebhookInbox(db, { queue, receipts: webhookReceipts }),
    providerInbox: createWebhookInbox(db, { queue, receipts: providerReceipts }),
    jobStats: createJobStats(db),
    retention: createRetention(db, queue),
    rateLimiter: (limit) => createSharedRateLimiter(db, { ...limit, clock: options.clock }),
    foreignInstallCheck: (ownIds) => createForeignInstallCheck(db, ownIds),
  };
}

const lockedBox: SecretBox = {
  seal() { throw new Error('ENCRYPTION_KEY is not set: secrets cannot be sealed'); },
  open() { throw new Error('ENCRYPTION_KEY is not set: sealed secrets cannot be opened'); },
};
