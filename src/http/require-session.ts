// Express guards: a valid Bearer session, bound to the location (or agency) named in the path, whose install is still there.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Session, SessionTokens } from './session-tokens.js';

declare module 'express-serve-static-core' {
  interface Request {
    session?: Session;
  }
}

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : null;
}

/** A guard for one scope: 401 without a valid session of it, 403 when the path names another location or agency. */
function requireSession(tokens: SessionTokens, scope: 'location' | 'agency'): RequestHandler {
  const param = scope === 'location' ? 'locationId' : 'companyId';
  const owner = scope === 'location' ? 'location' : 'agency';
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    const session = token ? tokens.verify(token, scope) : null;
    if (!session) {
      return void res.status(401).json({ error: 'unauthorized', message: `A valid ${scope === 'agency' ? 'agency ' : ''}session token is required.` });
    }
    const bound = scope === 'location' ? session.locationId : session.companyId;
    if (bound !== req.params[param]) return void res.status(403).json({ error: 'forbidden', message: `This session belongs to another ${owner}.` });
    // Checked on every request: a token issued before an uninstall must not export, erase or change anything after it.
    if (!await tokens.stillActive(session)) {
      return void res.status(401).json({ error: 'session_ended', message: `TextBack is no longer installed for this ${owner}; this session has ended.` });
    }
    req.session = session;
    next();
  };
}

/** For /api/locations/:locationId/…: 401 without a valid location session, 403 for another location's id. */
export const requireLocationSession = (tokens: SessionTokens): RequestHandler => requireSession(tokens, 'location');

/** For /api/agency/:companyId/…: an agency session for that company. */
export const requireAgencySession = (tokens: SessionTokens): RequestHandler => requireSession(tokens, 'agency');

/** 403 with `reason` unless the session's HighLevel role is 'admin' (use after a session guard). */
export function refuseUnlessAdmin(req: Request, res: Response, reason: string): boolean {
  if (req.session?.role === 'admin') return false;
  res.status(403).json({ error: 'admin_only', message: reason });
  return true;
}

/** The same as a guard, for routes that are admin-only as a whole. */
export const requireAdmin = (reason: string): RequestHandler => (req, res, next) => {
  if (!refuseUnlessAdmin(req, res, reason)) next();
};
