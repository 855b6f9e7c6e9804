// The composition root: builds every object of the app once and wires them together (no DI container).
import type { Config } from './config.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createSecretBox } from './lib/crypto.js';
import { openDatabase, type Db } from './store/db.js';
import { createTokenStore } from './store/tokens.js';
import { createLocationStore } from './store/locations.js';
import { createCallLog } from './store/calls.js';
import { createSendLedger } from './store/ledger.js';
import { createSuppressions } from './store/suppressions.js';
import { createReplyLog } from './store/replies.js';
import { createAuditLog } from './store/audit.js';
import { createJobQueue } from './store/job-queue.js';
import { createInbox } from './scheduler/inbox.js';
import { createWebhookReceipts } from './store/webhook-receipts.js';
import { createWorker, type Worker } from './scheduler/worker.js';
import { highLevelRequestsOf } from './jobs/priorities.js';
import { createWorkflowScheduler } from './scheduler/workflow-scheduler.js';
import { workflowJobHandlers } from './jobs/workflow-jobs.js';
import { createOAuthClient } from './highlevel/oauth-client.js';
import { createAccessTokens } from './highlevel/access-tokens.js';
import { createPacer } from './highlevel/pacer.js';
import { createHighLevelApi } from './highlevel/api-client.js';
import { createContactDirectory } from './highlevel/contact-directory.js';
import { createLocationDirectory } from './highlevel/location-directory.js';
import { createAgencyFinder, type AgencyFinder } from './highlevel/agency-adoption.js';
import { createAgencyLookups } from './store/agency-lookups.js';
import { createFrameOrigins } from './store/frame-origins.js';
import { createFrameAncestors } from './http/frame-ancestors.js';
import { createCallHistory } from './highlevel/call-history.js';
import { WEBHOOK_JOB } from './highlevel/events.js';
import { createTokenKeepaliveHandler, scheduleTokenKeepalive, TOKEN_KEEPALIVE_JOB } from './jobs/token-keepalive.js';
import { ensureCatchUp } from './workflow/catch-up.js';
import { createInstaller } from './highlevel/installer.js';
import { createWebhookVerifier, loadDefaultWebhookKeys, parsePublicKeys } from './highlevel/webhook-signature.js';
import { createHighLevelSender } from './messaging/highlevel-sender.js';
import { createTwilioAccounts } from './store/twilio-accounts.js';
import { createLineTypeCache } from './store/line-types.js';
import { createDeliveryLog } from './store/delivery.js';
import { createTwilioClients } from './messaging/twilio-client.js';
import { createTwilioSender } from './messaging/twilio-sender.js';
import { createRoutingSender } from './messaging/routing-sender.js';
import { createLineTypeChecker } from './messaging/line-type-checker.js';
import { createTwilioStatusRecorder } from './messaging/twilio-status.js';
import { createTwilioVerifier } from './messaging/twilio-verify.js';
import { DELIVERY_CHECK_JOB, createDeliveryCheckHandler, withDeliveryCheck } from './messaging/delivery-check.js';
import { TWILIO_INBOUND_JOB, createTwilioInboundHandler } from './messaging/twilio-inbound.js';
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
import { BACKUP_JOB, createBackupJob } from './jobs/backup.js';
import { createAppMetrics } from './http/app-metrics.js';
import { createJobStats } from './store/job-stats.js';
import { metricsRoutes } from './http/metrics.js';
import { createRetention } from './store/retention.js';
import { ensureRetentionScheduled, retentionJobHandlers } from './jobs/retention.js';
import { createDataRights } from './store/data-rights.js';
import { dataRoutes } from './http/data-api.js';
import { createLocationFlags } from './store/location-flags.js';
import { createSessionTokens } from './http/session-tokens.js';
import { apiRoutes } from './http/api-routes.js';
import { createOptOutLinks } from './http/opt-out-links.js';
import { createSharedRateLimiter } from './store/rate-counters.js';
import { createUserContextUses } from './store/user-context-uses.js';
import { createProcessedTwilioMessages } from './store/twilio-processed.js';
import { createForeignInstallCheck } from './store/foreign-installs.js';
import { createInstallStatus } from './store/install-status.js';

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
}

export interface ComposedApp {
  db: Db;
  handler: ReturnType<typeof createRequestHandler>;
  worker: Worker;
  logger: Logger;
  clock: Clock;
  workflow: WorkflowDeps;
  /** Starts background work (the job worker). */
  start(): void;
  /** Stops taking work, finishes in-flight jobs, closes the database. */
  stop(): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function composeApp(options: ComposeOptions): ComposedApp {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const encryptionKey = config.encryptionKey ?? options.encryptionKey;
  if (!encryptionKey) throw new Error('ENCRYPTION_KEY is required');
  let shuttingDown = false;

  // ── storage ──
  const db = openDatabase(config.databasePath);
  const box = createSecretBox(encryptionKey);
  const tokens = createTokenStore(db, box);
  const locations = createLocationStore(db);
  const calls = createCallLog(db);
  const ledger = createSendLedger(db);
  const suppressions = createSuppressions(db);
  const replies = createReplyLog(db);
  const audit = createAuditLog(db);
  const locationFlags = createLocationFlags(db);
  const queue = createJobQueue(db);
  const twilioAccounts = createTwilioAccounts(db, box, { appAccount: config.twilio });
  const lineTypes = createLineTypeCache(db);
  const delivery = createDeliveryLog(db);
  const metrics = createAppMetrics({ jobStats: createJobStats(db), clock });

  // ── HighLevel ──
  const redirectUri = `${config.publicUrl}${manifest.oauth.redirectPath}`;
  const { apiUrl, clientId, clientSecret } = config.highLevel;
  const oauth = createOAuthClient({ apiUrl, clientId, clientSecret, redirectUri });
  // The finder reads agencies' lists through the API, which needs access tokens: bound once both exist.
  let agencies: AgencyFinder | undefined;
  const accessTokens = createAccessTokens({
    tokens, locations, oauth, clock, logger, onRefresh: metrics.onTokenRefresh,
    findAgency: (locationId) => agencies!.find(locationId, 'stranded'),
  });
  const pacer = createPacer({ clock, sleep });
  const api = createHighLevelApi({ apiUrl, accessTokens, pacer, clock, sleep, logger, onRequest: metrics.onHighLevelRequest });
  const agencyFinder = createAgencyFinder({ tokens, api, lookups: createAgencyLookups(db), appId: config.highLevel.appId, clock, logger });
  agencies = agencyFinder;
  const frameOrigins = createFrameOrigins(db);

  // ── the workflow and its job worker ──
  let worker: Worker | undefined;
  const nudge = () => worker?.nudge();
  const scheduler = createWorkflowScheduler(queue, clock, nudge);
  // Each text goes through the provider its location chose: HighLevel (delivery polled) or its Twilio account.
  const twilioClients = createTwilioClients();
  const sender = createRoutingSender({
    highlevel: withDeliveryCheck(createHighLevelSender({ api }), { scheduler, clock, logger }),
    twilio: createTwilioSender({ accounts: twilioAccounts, clients: twilioClients, statusCallbackUrl: config.publicUrl + TWILIO_STATUS_PATH, lineTypes, clock, logger }),
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
    scheduler,
    audit,
    tokens: {
      // A location's Twilio secrets go with its HighLevel tokens.
      forget: (ownerId) => { tokens.delete(ownerId); twilioAccounts.remove(ownerId); },
      forgetCompany: (companyId) => { tokens.deleteMintedForCompany(companyId); tokens.delete(companyId); },
      hasOwnGrant: (locationId) => tokens.get(locationId)?.refreshToken != null,
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
      agencyFinder.forget(locationId);
      return null;
    },
    frameOrigins,
    plans: parsePlansTable(manifest.plans),
    publicUrl: config.publicUrl,
    optOutLinks,
    signal: metrics.onSignal,
    locationFlags,
  };
  const backups = createBackupJob({ db, queue, clock, logger, databasePath: config.databasePath, backup: config.backup, onReport: metrics.onBackup });
  backups.ensureScheduled();
  const retention = { retention: createRetention(db, queue), policy: config.retention, audit, logger, clock };
  const handlers = {
    ...workflowJobHandlers(workflow, logger),
    ...retentionJobHandlers(retention),
    [BACKUP_JOB]: backups.handler,
    [DELIVERY_CHECK_JOB]: createDeliveryCheckHandler({ api, delivery, suppressions, clock, logger }),
    [TWILIO_INBOUND_JOB]: createTwilioInboundHandler(workflow, logger),
    [TOKEN_KEEPALIVE_JOB]: createTokenKeepaliveHandler({ tokens, accessTokens, clock, logger }),
  };
  worker = createWorker({
    queue, handlers, clock, logger,
    onSettled: (job, outcome) => metrics.onJobSettled(job, outcome),
    // Raw inbound events carry callers' words: once handled, only the row (for dedupe) stays.
    forgetPayloadOf: new Set([WEBHOOK_JOB, TWILIO_INBOUND_JOB]),
    // A job whose location has no HighLevel slot yet is parked until its promised slot, not left waiting in a worker.
    admit: (job) => {
      const requests = highLevelRequestsOf(job, (locationId) => Boolean(locations.get(locationId)?.settings.replyTag));
      if (requests === 0 || !job.locationId) return null;
      const at = pacer.admit(job.locationId, requests, { returning: job.runAt !== job.queuedAt, priority: job.priority });
      // The pacer answers its own now when it admits: anything later is a park.
      return at > clock.now() ? at : null;
    },
  });

  // ── HTTP ──
  const verify = createWebhookVerifier(parsePublicKeys(options.webhookKeysPem ?? config.highLevel.webhookKeysPem ?? loadDefaultWebhookKeys()));
  const inbox = createInbox({ db, queue, clock, receipts: createWebhookReceipts(db), onCommit: nudge });
  const intake = createWebhookIntake({ verify, inbox, clock, logger, appId: config.highLevel.appId, onOutcome: metrics.onWebhookOutcome });
  const installer = createInstaller({
    oauth, tokens, audit, clock,
    installLocation: (locationId, companyId, planId) => installLocation(workflow, locationId, companyId, planId, null),
    installCompany: async (companyId) => {
      locations.installCompany(companyId, null, clock.now());
      agencyFinder.agencyInstalled(companyId);
    },
  });
  // The embedded page's session tokens (JWT, key derived from ENCRYPTION_KEY; the injected clock decides expiry).
  // A session ends with its install: the guard asks on every request, so an old token cannot act after an uninstall.
  const installStatus = createInstallStatus(db);
  const sessionTokens = createSessionTokens(encryptionKey, {
    now: () => clock.now(),
    stillActive: (session) => session.scope === 'location'
      ? locations.get(session.locationId!)?.status === 'installed'
      : installStatus.companyInstalled(session.companyId!),
  });
  // Sandbox mode's shared secret is public: no session at all on a database holding installs it did not create.
  const foreignInstalls = config.mode === 'sandbox' ? createForeignInstallCheck(db, options.sandboxInstallIds ?? []) : null;
  const sessionsRefused = foreignInstalls && (() => foreignInstalls.hasForeignInstalls()
    ? 'Sandbox mode is running on a database that holds real installs; its public shared secret opens no session there.'
    : null);
  if (foreignInstalls?.hasForeignInstalls()) {
    logger.warn({ databasePath: config.databasePath }, 'sandbox mode on a database with installs the sandbox did not make: the embedded page opens no session here');
  }
  const app = buildApp({
    logger,
    frameAncestors: createFrameAncestors({ configured: config.frameAncestors, isLearned: (origin) => frameOrigins.has(origin) }),
    trustedProxies: config.trustedProxies,
    routers: [
      ...(options.extraRouters ?? []),
      healthRoutes({ db, isShuttingDown: () => shuttingDown }),
      pageRoutes({ sandbox: config.mode === 'sandbox' }),
      metricsRoutes({ render: metrics.render, token: config.metricsToken }),
      optOutPageRoutes({
        workflow, sandbox: config.mode === 'sandbox', links: optOutLinks,
        clientLimiter: createSharedRateLimiter(db, { name: 'optout-client', limit: OPT_OUT_CLIENT_LIMIT.max, windowMs: OPT_OUT_CLIENT_LIMIT.windowMs, clock }),
        locationLimiter: createSharedRateLimiter(db, { name: 'optout-location', limit: OPT_OUT_LOCATION_LIMIT.max, windowMs: OPT_OUT_LOCATION_LIMIT.windowMs, clock }),
      }),
      oauthRoutes({
        installer, logger, marketplaceUrl: config.highLevel.marketplaceUrl, clientId: config.highLevel.clientId,
        redirectUri, scopes: manifest.oauth.scopes, sandbox: config.mode === 'sandbox',
      }),
      apiRoutes({
        db, sessionTokens, sharedSecret: config.highLevel.sharedSecret, workflow, locations, suppressions, audit, locationFlags, clock, logger,
        contextUses: createUserContextUses(db), sessionsRefused: sessionsRefused ?? undefined,
      }),
      dataRoutes({ sessionTokens, dataRights: createDataRights(db), audit, clock }),
      providerRoutes({
        sessionTokens, locations, accounts: twilioAccounts, verify: createTwilioVerifier(twilioClients), audit, clock, publicUrl: config.publicUrl,
        appAccount: config.twilio, twilioAllowed: (planId) => featuresFor(planId, workflow.plans).features.twilio,
      }),
      twilioWebhookRoutes({
        publicUrl: config.publicUrl, accounts: twilioAccounts, appAuthToken: config.twilio?.authToken ?? null, delivery,
        processed: createProcessedTwilioMessages(db),
        status: createTwilioStatusRecorder({ delivery, suppressions, lineTypes, clock, logger }), scheduler, clock, logger,
      }),
    ],
  });

  return {
    db,
    handler: createRequestHandler(app, intake),
    worker,
    logger,
    clock,
    workflow,
    start() {
      const interrupted = ledger.markInterruptedUnknown(clock.now());
      if (interrupted > 0) logger.warn({ interrupted }, 'texts interrupted by the last shutdown are marked unknown and will not be resent');
      ensureRetentionScheduled(queue, clock.now());
      scheduleTokenKeepalive(queue, clock.now());
      for (const locationId of locations.installedIds()) void ensureCatchUp(workflow, locationId);
      // Installed by an INSTALL that named no agency, before the app could look one up: find it now, not at the next call.
      void agencyFinder.repairStranded();
      worker!.start();
    },
    async stop() {
      shuttingDown = true;
      await worker!.stop();
      db.close();
    },
  };
}
