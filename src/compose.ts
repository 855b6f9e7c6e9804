// The composition root: builds every object of the app once and wires them together (no DI container).
import type { Config } from './config.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createSecretBox } from './lib/crypto.js';
import { rememberOpenedSecrets } from './lib/opened-secrets.js';
import { andThen, type Awaitable } from './lib/awaitable.js';
import { openDatabase, type Db } from './store/db.js';
import { startCheckpointer } from './store/checkpointer.js';
import { createSqliteStorage } from './store/sqlite-storage.js';
import type { CloseStorage, Storage } from './store/storage.js';
import { createInbox } from './scheduler/inbox.js';
import { createWorker, type Worker } from './scheduler/worker.js';
import { createJobHandlers, forgetPayloadOf, highLevelRequestsOf, inboundEventKinds, priorityOf } from './jobs/registry.js';
import type { QueuedJob } from './jobs/job-kind.js';
import { schedulePeriodicJobs } from './jobs/periodic.js';
import { createWorkflowScheduler } from './scheduler/workflow-scheduler.js';
import { createOAuthClient } from './highlevel/oauth-client.js';
import { createAccessTokens } from './highlevel/access-tokens.js';
import { createPacer, type AdmitOptions } from './highlevel/pacer.js';
import { createHighLevelApi } from './highlevel/api-client.js';
import { createContactDirectory } from './highlevel/contact-directory.js';
import { createLocationDirectory } from './highlevel/location-directory.js';
import { createAgencyFinder, type AgencyFinder } from './highlevel/agency-adoption.js';
import { createFrameAncestors } from './http/frame-ancestors.js';
import { createCallHistory } from './highlevel/call-history.js';
import { createInstaller } from './highlevel/installer.js';
import { createWebhookVerifier, loadDefaultWebhookKeys, parsePublicKeys } from './highlevel/webhook-signature.js';
import { createVerifyThread } from './highlevel/verify-thread.js';
import { ED25519_LIBRARY } from './highlevel/ed25519.js';
import { createHighLevelSender } from './messaging/highlevel-sender.js';
import { createTwilioClients, type TwilioClients } from './messaging/twilio-client.js';
import { createTwilioSender } from './messaging/twilio-sender.js';
import { createRoutingSender } from './messaging/routing-sender.js';
import { createLineTypeChecker } from './messaging/line-type-checker.js';
import { createTwilioStatusRecorder } from './messaging/twilio-status.js';
import { createTwilioVerifier } from './messaging/twilio-verify.js';
import { withDeliveryCheck } from './messaging/delivery-check.js';
import { TWILIO_STATUS_PATH, twilioWebhookRoutes } from './http/twilio-webhooks.js';
import { providerRoutes } from './http/provider-api.js';
import { featuresFor } from './workflow/plans.js';
import type { WorkflowDeps } from './workflow/deps.js';
import { installLocation } from './workflow/location-context.js';
import { buildApp, createRequestHandler } from './http/app.js';
import { createWebhookIntake } from './http/webhook-intake.js';
import { oauthRoutes } from './http/oauth.js';
import { healthRoutes } from './http/health.js';
import { pageRoutes } from './http/embedded-page.js';
import manifest from '../app-manifest.json' with { type: 'json' };
import { parsePlansTable } from './workflow/plans.js';
import { OPT_OUT_CLIENT_LIMIT, OPT_OUT_LOCATION_LIMIT, optOutPageRoutes } from './http/optout-page.js';
import { createBackupJob } from './jobs/backup.js';
import { createAppMetrics } from './http/app-metrics.js';
import { metricsRoutes } from './http/metrics.js';
import { dataRoutes } from './http/data-api.js';
import { createSessionTokens } from './http/session-tokens.js';
import { apiRoutes } from './http/api-routes.js';
import { createOptOutLinks } from './http/opt-out-links.js';
import { createApiTransport } from './highlevel/api-transport.js';
import { createHighLevelHttp } from './highlevel/http-adapter.js';
import { createConversationLog } from './highlevel/conversation-log.js';
import { createConversationChannel } from './jobs/conversation-channel.js';
import { createProviderDelivery, withProviderDelivery } from './http/conversation-provider.js';

export interface ComposeOptions {
  config: Config;
  /** Required when config.encryptionKey is unset (sandbox): main.ts provides a persisted one. */
  encryptionKey?: string;
  clock?: Clock;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Webhook public keys (PEM) overriding config and HighLevel's defaults (sandbox, tests). */
  webhookKeysPem?: string;
  /** Extra routers mounted before the app's own (the sandbox's home page). */
  extraRouters?: import('express').Router[];
  /** Runs once the server listens (the sandbox installs its demo sub-account through the real OAuth callback). */
  onListening?(app: ComposedApp): Promise<void>;
  /** Sandbox mode: the ids of the stand-in's own sub-account and agency; any other install in the database is real. */
  sandboxInstallIds?: readonly string[];
  /**
   * An already opened storage (PostgreSQL) the app runs on instead of the SQLite file at DATABASE_PATH; `closeStorage`
   * is awaited once the worker stopped. File backups (BACKUP_DIR) are SQLite's: off on another engine.
   */
  storage?: Storage;
  closeStorage?: CloseStorage;
  /**
   * SQLite: checkpoint the file from a thread of its own (default true; src/store/checkpointer.ts). The test harness
   * starts hundreds of short-lived apps and turns it off: each thread costs about 56 ms of CPU to start and stop.
   */
  checkpointThread?: boolean;
  /** Sandbox mode only (refused otherwise): Twilio clients that talk to the sandbox's stand-in instead of api.twilio.com. */
  twilioClients?: TwilioClients;
}

export interface ComposedApp {
  /** The SQLite database when the app opened it (no `storage` option); null on a storage it was given. */
  db: Db | null;
  /** Every store (the CLI and the sandbox read through these, never through SQL of their own). */
  storage: Storage;
  handler: ReturnType<typeof createRequestHandler>;
  worker: Worker;
  logger: Logger;
  clock: Clock;
  workflow: WorkflowDeps;
  /**
   * Starts background work (the job worker) once interrupted sends are marked; on SQLite all of it before returning
   * (a failure throws), on an engine that answers later when the promise settles (a failure rejects it).
   */
  start(): Promise<void>;
  /** Stops taking work, finishes in-flight jobs, closes the database. */
  stop(): Promise<void>;
}

/** The app on the SQLite file it opened itself: tests read `db` with SQL of their own. */
export interface SqliteComposedApp extends ComposedApp {
  db: Db;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The storage DATABASE_URL names, opened and migrated, to pass to composeApp; none when it is unset (composeApp then
 * opens the SQLite file at DATABASE_PATH itself).
 */
export async function openConfiguredStorage(config: Config, options: { clock?: Clock; encryptionKey?: string } = {}): Promise<Pick<ComposeOptions, 'storage' | 'closeStorage'>> {
  if (!config.databaseUrl) return {};
  const encryptionKey = config.encryptionKey ?? options.encryptionKey;
  if (!encryptionKey) throw new Error('ENCRYPTION_KEY is required');
  const { openPostgresStorage } = await import('./store/postgres/postgres-storage.js');
  const opened = await openPostgresStorage(config.databaseUrl, rememberOpenedSecrets(createSecretBox(encryptionKey)), {
    clock: options.clock ?? systemClock, appTwilioAccount: config.twilio, inboundEventKinds, priorityOf,
  });
  return { storage: opened.storage, closeStorage: opened.close };
}

export function composeApp(options: ComposeOptions & { storage?: undefined }): SqliteComposedApp;
export function composeApp(options: ComposeOptions): ComposedApp;
export function composeApp(options: ComposeOptions): ComposedApp {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const encryptionKey = config.encryptionKey ?? options.encryptionKey;
  if (!encryptionKey) throw new Error('ENCRYPTION_KEY is required');
  let shuttingDown = false;

  // ── storage: the one given (PostgreSQL), else the SQLite file ──
  const db = options.storage ? null : openDatabase(config.databasePath);
  const storage = options.storage
    ?? createSqliteStorage(db!, rememberOpenedSecrets(createSecretBox(encryptionKey)), { clock, appTwilioAccount: config.twilio, inboundEventKinds, priorityOf });
  // The server's SQLite file is checkpointed from a thread of its own, not inside the commits webhooks wait for.
  const checkpointer = db && options.checkpointThread !== false
    ? startCheckpointer(db, { onError: (error) => logger.error({ err: error }, 'the checkpoint thread failed; only the connection\'s own checkpoints run now') })
    : null;
  const closeStorage: CloseStorage = db
    ? async () => { await checkpointer?.stop(); db.close(); }
    : options.closeStorage ?? (() => {});
  const { tokens, locations, calls, ledger, suppressions, replies, audit, locationFlags, twilioAccounts, lineTypes, delivery, frameOrigins, queue } = storage;
  const metrics = createAppMetrics({ jobStats: storage.jobStats, clock });

  // ── HighLevel ──
  const redirectUri = `${config.publicUrl}${manifest.oauth.redirectPath}`;
  const { apiUrl, clientId, clientSecret } = config.highLevel;
  const oauth = createOAuthClient({ apiUrl, clientId, clientSecret, redirectUri });
  // The finder reads agencies' lists through the API, which needs access tokens: bound once both exist.
  let agencies: AgencyFinder | undefined;
  const accessTokens = createAccessTokens({
    tokens, locations, oauth, clock, sleep, logger, onRefresh: metrics.onTokenRefresh,
    findAgency: (locationId) => agencies!.find(locationId, 'stranded'),
  });
  // On PostgreSQL every instance's pacer also reserves its slots in the database (docs/decisions/0012).
  const pacer = createPacer({ clock, sleep, shared: storage.pacingSlots });
  // One axios instance (and its kept-alive connections) for every HighLevel API request.
  const highLevelHttp = createHighLevelHttp({ viaProxy: config.highLevel.viaProxy });
  const api = createHighLevelApi({ apiUrl, accessTokens, pacer, clock, sleep, logger, http: highLevelHttp, onRequest: metrics.onHighLevelRequest });
  const agencyFinder = createAgencyFinder({ tokens, api, lookups: storage.agencyLookups, appId: config.highLevel.appId, clock, logger });
  agencies = agencyFinder;
  // The custom conversation channel's calls (Twilio texts in HighLevel's conversations), on the same tokens and pace.
  const conversationProviderId = config.highLevel.conversationProviderId;
  const conversationCalls = createConversationLog({
    request: createApiTransport({ apiUrl, accessTokens, pacer, clock, sleep, logger, http: highLevelHttp, onRequest: metrics.onHighLevelRequest }).request,
    conversationProviderId,
  });
  const conversationMessages = storage.conversationMessages;

  // ── the workflow and its job worker ──
  let worker: Worker | undefined;
  const nudge = () => worker?.nudge();
  // How many HighLevel requests a job will make, asked of its location's pacer: the time they fit (now, or later).
  const tagsReplies = (locationId: string) => andThen(locations.get(locationId), (location) => Boolean(location?.settings.replyTag));
  const paceOf = (job: QueuedJob, admitOptions: AdmitOptions): Awaitable<number | null> => andThen(
    highLevelRequestsOf(job, tagsReplies),
    (requests) => requests === 0 || !job.locationId ? null : pacer.admit(job.locationId, requests, admitOptions));
  const scheduler = createWorkflowScheduler(queue, clock, {
    onScheduled: nudge,
    // A text-back decided inside the event that reported its call goes at once when its location's pace admits it
    // now: no job row, claim or completion of its own (docs/decisions/0014).
    admitsNow: (job) => andThen(paceOf(job, { priority: priorityOf(job.kind), ifNow: true }), (at) => at === null || at <= clock.now()),
  });
  const conversationChannel = createConversationChannel({ queue, store: conversationMessages, clock, posting: conversationProviderId !== null, nudge });
  // Each text goes through the provider its location chose: HighLevel (delivery polled) or its Twilio account.
  if (options.twilioClients && config.mode !== 'sandbox') throw new Error('stand-in Twilio clients are for sandbox mode only');
  const twilioClients = options.twilioClients ?? createTwilioClients();
  const sender = createRoutingSender({
    highlevel: withDeliveryCheck(createHighLevelSender({ api }), { clock }),
    twilio: createTwilioSender({
      accounts: twilioAccounts, clients: twilioClients, statusCallbackUrl: config.publicUrl + TWILIO_STATUS_PATH, lineTypes, clock, logger,
      conversationLog: conversationChannel.log,
    }),
  });
  // The personalised one-click opt-out links that HELP answers and confirmations carry when a location asks for them.
  const optOutLinks = createOptOutLinks({ encryptionKey, publicUrl: config.publicUrl });
  const workflow: WorkflowDeps = {
    clock,
    log: logger,
    installations: locations,
    calls,
    ledger,
    suppressions,
    replies,
    callerFacts: storage.callerFacts,
    scheduler,
    audit,
    tokens: {
      // A location's Twilio secrets go with its HighLevel tokens.
      forget: async (ownerId) => { await tokens.delete(ownerId); await twilioAccounts.remove(ownerId); accessTokens.forget(ownerId); },
      forgetCompany: async (companyId) => {
        await tokens.deleteMintedForCompany(companyId);
        await tokens.delete(companyId);
        // Its locations' minted tokens went with it: none of them is used from memory either.
        accessTokens.forget();
      },
      hasOwnGrant: async (locationId) => (await tokens.get(locationId))?.refreshToken != null,
    },
    contacts: createContactDirectory(api),
    locationDirectory: createLocationDirectory({ api, logger }),
    callHistory: createCallHistory(api),
    sender,
    providerName: sender.providerName,
    lineTypes: createLineTypeChecker({ cache: lineTypes, lookupCredentials: (id) => twilioAccounts.lookupCredentials(id), clients: twilioClients, clock, logger }),
    adoptFromAgency: (locationId) => agencyFinder.adopt(locationId),
    installedUnderAgency: async (locationId, { findAgency }) => {
      if (findAgency) return agencyFinder.find(locationId, 'install');
      await agencyFinder.forget(locationId);
      return null;
    },
    frameOrigins,
    plans: parsePlansTable(manifest.plans),
    publicUrl: config.publicUrl,
    optOutLinks,
    signal: metrics.onSignal,
    locationFlags,
    conversationChannel: conversationProviderId !== null,
  };
  if (!db && config.backup) logger.warn('BACKUP_DIR is set but the app is not on SQLite: file backups are off (back the database up with its own tools)');
  const backups = createBackupJob({ db, queue, clock, logger, databasePath: config.databasePath, backup: db ? config.backup : null, onReport: metrics.onBackup });
  void backups.ensureScheduled().catch((error: unknown) => logger.error({ err: error }, 'database backups could not be scheduled'));
  const retention = { retention: storage.retention, policy: config.retention, audit, logger, clock };
  // Every job kind's handler, from the registry (src/jobs/registry.ts): a new kind is declared there, not here.
  const handlers = createJobHandlers({
    workflow, logger, api, delivery, suppressions, clock, tokens, accessTokens, retention, backups,
    conversationChannel: { store: conversationMessages, calls: conversationCalls, queue },
  });
  worker = createWorker({
    queue, handlers, clock, logger,
    onSettled: (job, outcome) => metrics.onJobSettled(job, outcome),
    // Raw inbound events carry callers' words: once handled, only the row (for dedupe) stays.
    forgetPayloadOf,
    // A job whose location has no HighLevel slot yet is parked until its promised slot, not left waiting in a worker.
    // Synchronous unless the estimate has to ask a store that answers later (a reply's location tags replies).
    // The pacer answers its own now when it admits: anything later is a park.
    admit: (job) => andThen(paceOf(job, { returning: job.runAt !== job.queuedAt, priority: job.priority }),
      (at) => at !== null && at > clock.now() ? at : null),
  });

  // ── HTTP ──
  const webhookKeys = parsePublicKeys(options.webhookKeysPem ?? config.highLevel.webhookKeysPem ?? loadDefaultWebhookKeys());
  // Under load, signatures are checked in batches on a thread of the app's own (started at the first such check).
  const verifyThread = createVerifyThread(webhookKeys, {
    onError: (error) => logger.error({ err: error }, 'the signature thread failed; signatures are checked through the pool now'),
  });
  const verify = createWebhookVerifier(webhookKeys, { check: verifyThread.check });
  if (ED25519_LIBRARY !== 'libsodium') {
    logger.warn('sodium-native did not load on this platform: webhook signatures are checked with node\'s crypto, about 60 % more CPU each');
  }
  // On an engine that can (SQLite), an event's job is stored already claimed when the worker has room: it starts at
  // once, without a claim (docs/decisions/0016-intake-hand-off.md).
  const inbox = createInbox({ store: storage.inbox, clock, onCommit: nudge, handOff: worker });
  const intake = createWebhookIntake({ verify, inbox, clock, logger, appId: config.highLevel.appId, conversationProviderId, onOutcome: metrics.onWebhookOutcome });
  // The channel's delivery URL: same keys, its own receipts (messageIds, kept for good) committed with each job.
  const providerDelivery = createProviderDelivery({
    verify, clock, logger, inbox: createInbox({ store: storage.providerInbox, clock, onCommit: nudge, handOff: worker }),
  });
  const installer = createInstaller({
    oauth, tokens, audit, clock,
    installLocation: (locationId, companyId, planId) => installLocation(workflow, locationId, companyId, planId, null),
    installCompany: async (companyId) => {
      await locations.installCompany(companyId, null, clock.now());
      await agencyFinder.agencyInstalled(companyId);
    },
  });
  // The embedded page's session tokens (JWT, key derived from ENCRYPTION_KEY; the injected clock decides expiry).
  // A session ends with its install: the guard asks on every request, so an old token cannot act after an uninstall.
  const { installStatus } = storage;
  const sessionTokens = createSessionTokens(encryptionKey, {
    now: () => clock.now(),
    stillActive: async (session) => session.scope === 'location'
      ? (await locations.get(session.locationId!))?.status === 'installed'
      : installStatus.companyInstalled(session.companyId!),
  });
  // Sandbox mode's shared secret is public: no session at all on a database holding installs it did not create.
  const foreignInstalls = config.mode === 'sandbox' ? storage.foreignInstallCheck(options.sandboxInstallIds ?? []) : null;
  const sessionsRefused = foreignInstalls && (async () => await foreignInstalls.hasForeignInstalls()
    ? 'Sandbox mode is running on a database that holds real installs; its public shared secret opens no session there.'
    : null);
  if (foreignInstalls) {
    void Promise.resolve(andThen(foreignInstalls.hasForeignInstalls(), (foreign) => {
      if (foreign) logger.warn({ databasePath: config.databasePath }, 'sandbox mode on a database with installs the sandbox did not make: the embedded page opens no session here');
    })).catch((error: unknown) => logger.error({ err: error }, 'could not tell whether the database holds installs the sandbox did not make'));
  }
  const app = buildApp({
    logger,
    frameAncestors: createFrameAncestors({ configured: config.frameAncestors, isLearned: (origin) => frameOrigins.has(origin) }),
    trustedProxies: config.trustedProxies,
    routers: [
      ...(options.extraRouters ?? []),
      healthRoutes({ ping: () => storage.health.ping(), isShuttingDown: () => shuttingDown }),
      pageRoutes({ sandbox: config.mode === 'sandbox' }),
      metricsRoutes({ render: metrics.render, contentType: metrics.contentType, token: config.metricsToken }),
      optOutPageRoutes({
        workflow, sandbox: config.mode === 'sandbox', links: optOutLinks,
        clientLimiter: storage.rateLimiter({ name: 'optout-client', limit: OPT_OUT_CLIENT_LIMIT.max, windowMs: OPT_OUT_CLIENT_LIMIT.windowMs }),
        locationLimiter: storage.rateLimiter({ name: 'optout-location', limit: OPT_OUT_LOCATION_LIMIT.max, windowMs: OPT_OUT_LOCATION_LIMIT.windowMs }),
      }),
      oauthRoutes({
        installer, logger, marketplaceUrl: config.highLevel.marketplaceUrl, clientId: config.highLevel.clientId,
        redirectUri, scopes: manifest.oauth.scopes, sandbox: config.mode === 'sandbox',
      }),
      apiRoutes({
        sessionTokens, sharedSecret: config.highLevel.sharedSecret, workflow, locations, suppressions, audit, locationFlags, clock, logger,
        installStatus, activity: storage.activity, stats: storage.stats, sharedRateLimiter: storage.rateLimiter,
        contextUses: storage.userContextUses, sessionsRefused: sessionsRefused ?? undefined,
      }),
      dataRoutes({ sessionTokens, dataRights: storage.dataRights, audit, clock }),
      providerRoutes({
        sessionTokens, locations, accounts: twilioAccounts, verify: createTwilioVerifier(twilioClients), audit, clock, publicUrl: config.publicUrl,
        appAccount: config.twilio, twilioAllowed: (planId) => featuresFor(planId, workflow.plans).features.twilio,
      }),
      twilioWebhookRoutes({
        publicUrl: config.publicUrl, accounts: twilioAccounts, appAuthToken: config.twilio?.authToken ?? null, delivery,
        processed: storage.processedTwilioMessages,
        status: createTwilioStatusRecorder({ delivery, suppressions, lineTypes, clock, logger }), scheduler, clock, logger,
        conversation: conversationChannel,
      }),
    ],
  });

  return {
    db,
    storage,
    handler: withProviderDelivery(createRequestHandler(app, intake), providerDelivery),
    worker,
    logger,
    clock,
    workflow,
    start() {
      // Each step waits for the one before only when the store answers later: on SQLite all of it runs now.
      return Promise.resolve(andThen(ledger.markInterruptedUnknown(clock.now()), (interrupted) => {
        if (interrupted > 0) logger.warn({ interrupted }, 'texts interrupted by the last shutdown are marked unknown and will not be resent');
        return andThen(locations.installedIds(), (installedLocationIds) => {
          void schedulePeriodicJobs({ queue, workflow, installedLocationIds, now: clock.now(), logger });
          // Installed by an INSTALL that named no agency, before the app could look one up: find it now, not at the next call.
          void agencyFinder.repairStranded().catch((error: unknown) => logger.error({ err: error }, 'stranded locations could not be listed; each looks for its agency at its next need'));
          worker!.start();
        });
      }));
    },
    async stop() {
      shuttingDown = true;
      await worker!.stop();
      await closeStorage();
      await verifyThread.stop();
    },
  };
}
