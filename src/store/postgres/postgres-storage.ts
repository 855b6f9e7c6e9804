// The one place the PostgreSQL stores are built: opens the pool for DATABASE_URL, migrates (once, however many
// instances start together), and returns the same engine-neutral Storage the SQLite factory does.
import type { SecretBox } from '../../lib/crypto.js';
import type { Storage, CloseStorage } from '../storage.js';
import type { SqliteStorageOptions } from '../sqlite-storage.js';
import { openPostgres, type PostgresOptions } from './pool.js';
import { migratePostgres } from './migrate.js';
import { createPostgresJobQueue } from './job-queue.js';
import { createPostgresTokenStore } from './tokens.js';
import { createPostgresLocationStore } from './locations.js';
import { createPostgresCallLog } from './calls.js';
import { createPostgresSendLedger } from './ledger.js';
import { createPostgresSuppressions } from './suppressions.js';
import { createPostgresReplyLog } from './replies.js';
import { createPostgresAuditLog } from './audit.js';
import { createPostgresLocationFlags } from './location-flags.js';
import { createPostgresTwilioAccounts } from './twilio-accounts.js';
import { createPostgresAppSenders } from './app-senders.js';
import { createPostgresLineTypeCache } from './line-types.js';
import { createPostgresDeliveryLog } from './delivery.js';
import { createPostgresProcessedTwilioMessages } from './twilio-processed.js';
import { createPostgresAgencyLookups } from './agency-lookups.js';
import { createPostgresWebhookReceipts } from './webhook-receipts.js';
import { createPostgresConversationMessages } from './conversation-messages.js';
import { createPostgresProviderReceipts } from './provider-receipts.js';
import { createPostgresFrameOrigins } from './frame-origins.js';
import { createPostgresInstallStatus } from './install-status.js';
import { createPostgresActivityLog } from './activity.js';
import { createPostgresStats } from './stats.js';
import { createPostgresUserContextUses } from './user-context-uses.js';
import { createPostgresDataRights } from './data-rights.js';
import { createPostgresCallOutcomes } from './call-outcomes.js';
import { createPostgresDatabaseHealth } from './database-health.js';
import { createPostgresJobStats } from './job-stats.js';
import { createPostgresRetention } from './retention.js';
import { createPostgresWebhookInbox } from './webhook-inbox.js';
import { createPostgresSharedRateLimiter } from './rate-counters.js';
import { createPostgresForeignInstallCheck } from './foreign-installs.js';
import { createPostgresPacingSlots } from './pacing-slots.js';
import { createPostgresCallerFacts } from './caller-facts.js';

export interface PostgresStorageOptions extends SqliteStorageOptions {
  pool?: PostgresOptions;
  /**
   * LISTEN/NOTIFY wake-ups for the queue; default on, off with `pool_mode=transaction` in the URL (behind PgBouncer in
   * transaction mode LISTEN hears nothing: the worker then polls every 100 ms).
   */
  listen?: boolean;
}

export interface OpenedPostgresStorage {
  storage: Storage;
  close: CloseStorage;
}

const lockedBox: SecretBox = {
  seal() { throw new Error('ENCRYPTION_KEY is not set: secrets cannot be sealed'); },
  open() { throw new Error('ENCRYPTION_KEY is not set: sealed secrets cannot be opened'); },
};

export async function openPostgresStorage(url: string, box: SecretBox | null, options: PostgresStorageOptions): Promise<OpenedPostgresStorage> {
  const pg = openPostgres(url, options.pool);
  try {
    await migratePostgres(pg.pool);
  } catch (error) {
    await pg.close();
    throw error;
  }
  const secrets = box ?? lockedBox;
  const priorityOf = options.priorityOf ?? (() => 20);
  const queue = createPostgresJobQueue(pg, { priorityOf, listen: options.listen ?? pg.poolMode === 'session' });
  const webhookReceipts = createPostgresWebhookReceipts(pg);
  const providerReceipts = createPostgresProviderReceipts(pg);
  const storage: Storage = {
    tokens: createPostgresTokenStore(pg, secrets),
    locations: createPostgresLocationStore(pg),
    calls: createPostgresCallLog(pg),
    ledger: createPostgresSendLedger(pg, { priorityOf }),
    suppressions: createPostgresSuppressions(pg),
    replies: createPostgresReplyLog(pg),
    audit: createPostgresAuditLog(pg),
    locationFlags: createPostgresLocationFlags(pg),
    callerFacts: createPostgresCallerFacts(pg),
    twilioAccounts: createPostgresTwilioAccounts(pg, secrets, { appAccount: options.appTwilioAccount }),
    appSenders: createPostgresAppSenders(pg),
    lineTypes: createPostgresLineTypeCache(pg),
    delivery: createPostgresDeliveryLog(pg),
    processedTwilioMessages: createPostgresProcessedTwilioMessages(pg),
    agencyLookups: createPostgresAgencyLookups(pg),
    webhookReceipts,
    conversationMessages: createPostgresConversationMessages(pg),
    providerReceipts,
    frameOrigins: createPostgresFrameOrigins(pg),
    installStatus: createPostgresInstallStatus(pg),
    activity: createPostgresActivityLog(pg),
    stats: createPostgresStats(pg),
    userContextUses: createPostgresUserContextUses(pg),
    dataRights: createPostgresDataRights(pg, { inboundEventKinds: options.inboundEventKinds }),
    callOutcomes: createPostgresCallOutcomes(pg),
    health: createPostgresDatabaseHealth(pg),
    queue,
    inbox: createPostgresWebhookInbox(pg, { receipts: webhookReceipts, priorityOf }),
    providerInbox: createPostgresWebhookInbox(pg, { receipts: providerReceipts, priorityOf }),
    jobStats: createPostgresJobStats(pg),
    // Prunes finished jobs itself, in bounded batches (the queue's prune is one DELETE).
    retention: createPostgresRetention(pg),
    rateLimiter: (limit) => createPostgresSharedRateLimiter(pg, { ...limit, clock: options.clock }),
    foreignInstallCheck: (ownIds) => createPostgresForeignInstallCheck(pg, ownIds),
    pacingSlots: createPostgresPacingSlots(pg),
  };
  return {
    storage,
    async close() {
      await queue.close();
      await pg.close();
    },
  };
}
