// Express guards: a valid Bearer session, bound to the location (or agency) named in the path.
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

/** For /api/locations/:locationId/…: 401 without a valid location session, 403 for another location's id. */
export function requireLocationSession(tokens: SessionTokens): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    const session = token ? tokens.verify(token, 'location') : null;
    if (!session) return void res.status(401).json({ error: 'unauthorized', message: 'A valid session token is required.' });
    if (session.locationId !== req.params.locationId) {
      return void res.status(403).json({ error: 'forbidden', message: 'This session belongs to another location.' });
    }
    req.session = session;
    next();
  };
}

/** For /api/agency/:companyId/…: an agency session for that company. */
export function requireAgencySession(tokens: SessionTokens): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    const session = token ? tokens.verify(token, 'agency') : null;
    if (!session) return void res.status(401).json({ error: 'unauthorized', message: 'A valid agency session token is required.' });
    if (session.companyId !== req.params.companyId) {
      return void res.status(403).json({ error: 'forbidden', message: 'This session belongs to another agency.' });
    }
    req.session = session;
    next();
  };
}
