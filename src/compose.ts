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
import { createJobQueue } from './scheduler/job-queue.js';
import { createInbox } from './scheduler/inbox.js';
import { createWorker, type Worker } from './scheduler/worker.js';
import { createWorkflowScheduler } from './scheduler/workflow-scheduler.js';
import { workflowJobHandlers } from './scheduler/handlers.js';
import { createOAuthClient } from './highlevel/oauth-client.js';
import { createAccessTokens } from './highlevel/access-tokens.js';
import { createPacer } from './highlevel/pacer.js';
import { createHighLevelApi } from './highlevel/api-client.js';
import { createContactDirectory } from './highlevel/contact-directory.js';
import { createLocationDirectory } from './highlevel/location-directory.js';
import { createAgencyAdoption } from './highlevel/agency-adoption.js';
import { createInstaller } from './highlevel/installer.js';
import { createWebhookVerifier, loadDefaultWebhookKeys, parsePublicKeys } from './highlevel/webhook-signature.js';
import { createHighLevelSender } from './messaging/highlevel-sender.js';
import type { WorkflowDeps } from './workflow/deps.js';
import { installLocation } from './workflow/location-context.js';
import { buildApp, createRequestHandler } from './app.js';
import { createWebhookIntake } from './http/webhook-intake.js';
import { oauthRoutes } from './http/oauth.js';
import { healthRoutes } from './http/health.js';
import manifest from '../app-manifest.json' with { type: 'json' };

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
  const queue = createJobQueue(db);

  // ── HighLevel ──
  const redirectUri = `${config.publicUrl}${manifest.oauth.redirectPath}`;
  const oauth = createOAuthClient({ apiUrl: config.highLevel.apiUrl, clientId: config.highLevel.clientId, clientSecret: config.highLevel.clientSecret, redirectUri });
  const accessTokens = createAccessTokens({ tokens, locations, oauth, clock, logger });
  const pacer = createPacer({ clock, sleep });
  const api = createHighLevelApi({ apiUrl: config.highLevel.apiUrl, accessTokens, pacer, clock, sleep, logger });

  // ── the workflow and its job worker ──
  let worker: Worker | undefined;
  const nudge = () => worker?.nudge();
  const scheduler = createWorkflowScheduler(queue, clock, nudge);
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
      forget: (ownerId) => tokens.delete(ownerId),
      forgetCompany: (companyId) => { tokens.deleteMintedForCompany(companyId); tokens.delete(companyId); },
    },
    contacts: createContactDirectory(api),
    locationDirectory: createLocationDirectory({ api, logger }),
    sender: createHighLevelSender({ api }),
    providerName: () => 'highlevel',
    adoptFromAgency: createAgencyAdoption({ tokens, accessTokens, oauth, clock, logger }),
  };
  worker = createWorker({ queue, handlers: workflowJobHandlers(workflow, logger), clock, logger });

  // ── HTTP ──
  const verify = createWebhookVerifier(parsePublicKeys(options.webhookKeysPem ?? config.highLevel.webhookKeysPem ?? loadDefaultWebhookKeys()));
  const inbox = createInbox({ db, queue, clock, onCommit: nudge });
  const intake = createWebhookIntake({ verify, inbox, clock, logger });
  const installer = createInstaller({
    oauth, tokens, audit, clock,
    installLocation: (locationId, companyId, planId) => installLocation(workflow, locationId, companyId, planId, null),
    installCompany: async (companyId) => locations.installCompany(companyId, null, clock.now()),
  });
  const app = buildApp({
    logger,
    frameAncestors: config.frameAncestors,
    routers: [
      ...(options.extraRouters ?? []),
      healthRoutes({ db, isShuttingDown: () => shuttingDown }),
      oauthRoutes({
        installer, logger, marketplaceUrl: config.highLevel.marketplaceUrl, clientId: config.highLevel.clientId,
        redirectUri, scopes: manifest.oauth.scopes, sandbox: config.mode === 'sandbox',
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
      worker!.start();
    },
    async stop() {
      shuttingDown = true;
      await worker!.stop();
      db.close();
    },
  };
}
