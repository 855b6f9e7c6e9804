// The engine-neutral storage: every store the app, the CLI and the sandbox use, each the SQLite store's methods allowed
// to answer with a promise (AsyncStore). SQLite (sqlite-storage.ts) and PostgreSQL (postgres/) both build one; callers
// type against these names and `await` every call, so they run on either engine unchanged.
import type { AsyncStore, Awaitable } from './async-store.js';
import type { TokenStore } from './tokens.js';
import type { LocationStore } from './locations.js';
import type { createCallLog } from './calls.js';
import type { createSendLedger } from './ledger.js';
import type { SuppressionStore } from './suppressions.js';
import type { createReplyLog } from './replies.js';
import type { AuditStore } from './audit.js';
import type { LocationFlagStore } from './location-flags.js';
import type { TwilioAccountStore } from './twilio-accounts.js';
import type { AppSenders } from './app-senders.js';
import type { LineTypeCache } from './line-types.js';
import type { DeliveryLog } from './delivery.js';
import type { AgencyLookups } from './agency-lookups.js';
import type { FrameOrigins } from './frame-origins.js';
import type { InstallStatus } from './install-status.js';
import type { ActivityLog } from './activity.js';
import type { StatsStore } from './stats.js';
import type { UserContextUses } from './user-context-uses.js';
import type { ProcessedTwilioMessages } from './twilio-processed.js';
import type { ForeignInstallCheck } from './foreign-installs.js';
import type { WebhookReceipts } from './webhook-receipts.js';
import type { Retention } from './retention.js';
import type { DataRights } from './data-rights.js';
import type { SharedRateLimiter } from './rate-counters.js';
import type { CallOutcomes } from './call-outcomes.js';
import type { DatabaseHealth } from './database-health.js';
import type { ConversationMessages } from './conversation-messages.js';
import type { ProviderReceipts } from './provider-receipts.js';
import type { JobStatsReader } from './job-stats.js';
import type { InboxStore, JobQueue } from '../scheduler/queue-port.js';
import type { PacingSlots } from './pacing-slots.js';
import type { CallerFactsReader } from '../workflow/ports/storage.js';

export type { AsyncStore, Awaitable } from './async-store.js';

// ── each store's neutral type: the SQLite store's name + Port ──
export type TokenStorePort = AsyncStore<TokenStore>;
export type LocationStorePort = AsyncStore<LocationStore>;
export type CallLogPort = AsyncStore<ReturnType<typeof createCallLog>>;
export type SendLedgerPort = AsyncStore<ReturnType<typeof createSendLedger>>;
export type SuppressionStorePort = AsyncStore<SuppressionStore>;
export type ReplyLogPort = AsyncStore<ReturnType<typeof createReplyLog>>;
export type AuditStorePort = AsyncStore<AuditStore>;
export type LocationFlagStorePort = AsyncStore<LocationFlagStore>;
export type TwilioAccountStorePort = AsyncStore<TwilioAccountStore>;
export type AppSendersPort = AsyncStore<AppSenders>;
export type LineTypeCachePort = AsyncStore<LineTypeCache>;
export type DeliveryLogPort = AsyncStore<DeliveryLog>;
export type ProcessedTwilioMessagesPort = AsyncStore<ProcessedTwilioMessages>;
export type AgencyLookupsPort = AsyncStore<AgencyLookups>;
export type WebhookReceiptsPort = AsyncStore<WebhookReceipts>;
export type FrameOriginsPort = AsyncStore<FrameOrigins>;
export type InstallStatusPort = AsyncStore<InstallStatus>;
export type ActivityLogPort = AsyncStore<ActivityLog>;
export type StatsStorePort = AsyncStore<StatsStore>;
export type UserContextUsesPort = AsyncStore<UserContextUses>;
export type ConversationMessagesPort = AsyncStore<ConversationMessages>;
export type ProviderReceiptsPort = AsyncStore<ProviderReceipts>;
export type DataRightsPort = AsyncStore<DataRights>;
export type CallOutcomesPort = AsyncStore<CallOutcomes>;
export type DatabaseHealthPort = AsyncStore<DatabaseHealth>;
export type RetentionPort = AsyncStore<Retention>;
export type SharedRateLimiterPort = AsyncStore<SharedRateLimiter>;
export type ForeignInstallCheckPort = AsyncStore<ForeignInstallCheck>;
export type JobStatsPort = AsyncStore<JobStatsReader>;
export type CallerFactsPort = AsyncStore<CallerFactsReader>;

/** Every store over one database, built once. The workflow's ports (src/workflow/ports/storage.ts) take the first group. */
export interface Storage {
  // ── what the workflow remembers ──
  tokens: TokenStorePort;
  locations: LocationStorePort;
  calls: CallLogPort;
  ledger: SendLedgerPort;
  suppressions: SuppressionStorePort;
  replies: ReplyLogPort;
  audit: AuditStorePort;
  locationFlags: LocationFlagStorePort;
  /** What the send pipeline checks about a caller, in one read. */
  callerFacts: CallerFactsPort;
  // ── providers and HighLevel ──
  twilioAccounts: TwilioAccountStorePort;
  appSenders: AppSendersPort;
  lineTypes: LineTypeCachePort;
  delivery: DeliveryLogPort;
  processedTwilioMessages: ProcessedTwilioMessagesPort;
  agencyLookups: AgencyLookupsPort;
  webhookReceipts: WebhookReceiptsPort;
  /** Twilio texts as HighLevel conversation messages (the custom conversation channel). */
  conversationMessages: ConversationMessagesPort;
  /** messageIds accepted at the conversation provider's delivery URL (kept for good). */
  providerReceipts: ProviderReceiptsPort;
  // ── the embedded page and its API ──
  frameOrigins: FrameOriginsPort;
  installStatus: InstallStatusPort;
  activity: ActivityLogPort;
  stats: StatsStorePort;
  userContextUses: UserContextUsesPort;
  // ── the job queue ──
  queue: JobQueue;
  /** HighLevel webhooks: each batch's webhook receipts and jobs committed together. */
  inbox: InboxStore;
  /** Deliveries at the conversation provider's URL: each batch's provider receipts and jobs committed together. */
  providerInbox: InboxStore;
  jobStats: JobStatsPort;
  // ── operations ──
  dataRights: DataRightsPort;
  callOutcomes: CallOutcomesPort;
  health: DatabaseHealthPort;
  /** The retention rules, pruning finished jobs through `queue`. */
  retention: RetentionPort;
  /** A rate limit counted in the database (one limit across every instance); `name` keeps limiters apart. */
  rateLimiter(limit: { name: string; limit: number; windowMs: number }): SharedRateLimiterPort;
  /** Tells whether the database holds installs other than `ownIds` (sandbox mode's guard). */
  foreignInstallCheck(ownIds: readonly string[]): ForeignInstallCheckPort;
  /**
   * HighLevel request slots shared by every instance on this database (docs/decisions/0012); absent on SQLite, where
   * one process owns the database and its pacer counts in memory.
   */
  pacingSlots?: PacingSlots;
}

/** What closes an opened storage (the engine's connections); awaited once, at shutdown. */
export type CloseStorage = () => Awaitable<void>;
