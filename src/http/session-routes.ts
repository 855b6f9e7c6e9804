// POST /api/session and /api/agency-session: HighLevel's encrypted user context in, a short-lived session token out.
// Rate-limited per client address before anything is decrypted, so decryption failures cannot be probed at speed.
// A context has no expiry of its own: its first use is remembered in the database (every instance agrees) and it
// opens no session 12 hours later. Agency sessions are for agency users (`type: agency`) of an installed agency.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { HOUR, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { decryptUserContext, SsoDecryptError, type UserContext } from '../highlevel/sso.js';
import type { Awaitable } from '../lib/awaitable.js';
import type { InstallStatusPort, LocationStorePort, UserContextUsesPort } from '../store/storage.js';
import type { SessionTokens } from './session-tokens.js';
import { rateLimitByIp, type RateLimiter } from './rate-limit.js';
import { parseOr422 } from './validation.js';

export interface SessionRoutesDeps {
  sessionTokens: SessionTokens;
  sharedSecret: string;
  locations: Pick<LocationStorePort, 'get'>;
  installStatus: Pick<InstallStatusPort, 'companyInstalled'>;
  limiter: RateLimiter;
  /** When each context was first exchanged (shared through the database). */
  contextUses: Pick<UserContextUsesPort, 'firstUse'>;
  clock: Clock;
  /** A reason no session may be opened at all (sandbox mode on a database with real installs), or null. */
  sessionsRefused?(): Awaitable<string | null>;
  logger: Logger;
}

/** A user context opens sessions for this long after its first use, then 401. */
export const USER_CONTEXT_MAX_AGE_MS = 12 * HOUR;

const ExchangeSchema = z.object({ payload: z.string().min(1).max(16_384) });

const userOf = (ctx: UserContext) => ({ id: ctx.userId, name: ctx.userName ?? null, role: ctx.role });

export function sessionRoutes(deps: SessionRoutesDeps): Router {
  const router = Router();
  const limit = rateLimitByIp(deps.limiter);

  /** The decrypted, still fresh context, or null after answering (401 for every way decryption can fail). */
  async function decrypt(payload: string, res: Response): Promise<UserContext | null> {
    const refused = (await deps.sessionsRefused?.()) ?? null;
    if (refused) {
      res.status(403).json({ error: 'sessions_refused', message: refused });
      return null;
    }
    let ctx: UserContext;
    try {
      ctx = decryptUserContext(payload, deps.sharedSecret);
    } catch (error) {
      if (!(error instanceof SsoDecryptError)) throw error;
      res.status(401).json({ error: 'invalid_payload', message: 'The user context could not be read.' });
      return null;
    }
    const now = deps.clock.now();
    if (now - await deps.contextUses.firstUse(payload, now) > USER_CONTEXT_MAX_AGE_MS) {
      res.status(401).json({ error: 'context_expired', message: 'This sign-in from HighLevel has expired. Reload the page.' });
      return null;
    }
    return ctx;
  }

  router.post('/api/session', limit, async (req, res) => {
    const body = parseOr422(ExchangeSchema, req.body, res);
    if (!body) return;
    const ctx = await decrypt(body.payload, res);
    if (!ctx) return;
    const locationId = ctx.activeLocation;
    if (!locationId) return void res.status(403).json({ error: 'no_location', message: 'Open TextBack from inside a sub-account.' });
    const location = await deps.locations.get(locationId);
    if (!location || location.status !== 'installed') {
      return void res.status(403).json({ error: 'not_installed', message: 'TextBack is not installed in this sub-account.' });
    }
    const { token, expiresAt } = deps.sessionTokens.issue({
      userId: ctx.userId, userName: ctx.userName ?? null, role: ctx.role, scope: 'location', locationId, companyId: location.companyId ?? ctx.companyId,
    });
    deps.logger.info({ locationId, userId: ctx.userId }, 'location session started');
    res.json({ token, expiresAt, locationId, user: userOf(ctx) });
  });

  router.post('/api/agency-session', limit, async (req, res) => {
    const body = parseOr422(ExchangeSchema, req.body, res);
    if (!body) return;
    const ctx = await decrypt(body.payload, res);
    if (!ctx) return;
    if (ctx.activeLocation) return void res.status(403).json({ error: 'location_context', message: 'Opened inside a sub-account: use the sub-account session.' });
    if (ctx.type !== 'agency') return void res.status(403).json({ error: 'not_agency_user', message: 'Only agency users can see the agency view.' });
    if (ctx.role !== 'admin') return void res.status(403).json({ error: 'not_admin', message: 'Only agency admins can see the agency view.' });
    if (!await deps.installStatus.companyInstalled(ctx.companyId)) {
      return void res.status(403).json({ error: 'not_installed', message: 'TextBack is not installed for this agency.' });
    }
    const { token, expiresAt } = deps.sessionTokens.issue({
      userId: ctx.userId, userName: ctx.userName ?? null, role: ctx.role, scope: 'agency', locationId: null, companyId: ctx.companyId,
    });
    deps.logger.info({ companyId: ctx.companyId, userId: ctx.userId }, 'agency session started');
    res.json({ token, expiresAt, companyId: ctx.companyId, user: userOf(ctx) });
  });

  return router;
}
