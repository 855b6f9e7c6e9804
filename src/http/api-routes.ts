// The embedded page's API in one router: session exchange, the location routes, the agency routes (docs/briefs/api.md).
import { Router } from 'express';
import { HOUR, MINUTE, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Awaitable } from '../lib/awaitable.js';
import type {
  ActivityLogPort, AuditStorePort, InstallStatusPort, LocationFlagStorePort, LocationStorePort, StatsStorePort,
  SuppressionStorePort, UserContextUsesPort,
} from '../store/storage.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import type { SessionTokens } from './session-tokens.js';
import type { RateLimiter } from './rate-limit.js';
import { sessionRoutes } from './session-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { activityRoutes } from './activity-routes.js';
import { suppressionRoutes } from './suppression-routes.js';
import { agencyRoutes } from './agency-routes.js';

export interface ApiRoutesDeps {
  sessionTokens: SessionTokens;
  /** HIGHLEVEL_SHARED_SECRET: decrypts the page's user context. */
  sharedSecret: string;
  workflow: WorkflowDeps;
  locations: LocationStorePort;
  suppressions: SuppressionStorePort;
  audit: AuditStorePort;
  locationFlags: LocationFlagStorePort;
  installStatus: InstallStatusPort;
  activity: ActivityLogPort;
  stats: StatsStorePort;
  /** A limiter counted where every instance sees it (the database's), for limits that must hold across instances. */
  sharedRateLimiter(limit: { name: string; limit: number; windowMs: number }): RateLimiter;
  clock: Clock;
  logger: Logger;
  /** First uses of user contexts (12 h expiry, shared through the database). */
  contextUses: Pick<UserContextUsesPort, 'firstUse'>;
  /** Sandbox mode on a database with real installs: why no session may open. */
  sessionsRefused?(): Awaitable<string | null>;
}

/** Session exchanges per client address per minute: plenty for people opening the page, too few to probe decryption. */
export const SESSION_ATTEMPTS_PER_MINUTE = 30;
/** Test texts per location per hour: they reach real phones. */
export const TEST_MESSAGES_PER_HOUR = 20;

export function apiRoutes(deps: ApiRoutesDeps): Router {
  const { clock, sessionTokens, workflow, locations, installStatus, stats } = deps;
  const router = Router();
  router.use(sessionRoutes({
    sessionTokens, sharedSecret: deps.sharedSecret, locations, installStatus, logger: deps.logger, clock,
    contextUses: deps.contextUses, sessionsRefused: deps.sessionsRefused,
    // Counted in the database: every instance enforces one limit per client.
    limiter: deps.sharedRateLimiter({ name: 'session', limit: SESSION_ATTEMPTS_PER_MINUTE, windowMs: MINUTE }),
  }));
  router.use(settingsRoutes({
    sessionTokens, workflow, locations, installStatus, locationFlags: deps.locationFlags, audit: deps.audit, clock,
    // Counted in the database too: the cap holds per location whichever instance the page reaches.
    testLimiter: deps.sharedRateLimiter({ name: 'test-message', limit: TEST_MESSAGES_PER_HOUR, windowMs: HOUR }),
  }));
  router.use(activityRoutes({ sessionTokens, locations, activity: deps.activity, stats, clock }));
  router.use(suppressionRoutes({ sessionTokens, workflow, suppressions: deps.suppressions }));
  router.use(agencyRoutes({ sessionTokens, locations, installStatus, stats, audit: deps.audit, plans: workflow.plans, workflow, clock }));
  return router;
}
