// The express application: security headers, JSON parsing for the API, the routers, one error handler.
// The HighLevel webhook route is NOT here: it is served on the bare node:http path (see createRequestHandler).
import express, { type ErrorRequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../lib/logger.js';
import { InputError } from '../lib/errors.js';
import type { Awaitable } from '../lib/awaitable.js';

export interface AppOptions {
  routers: Router[];
  logger: Logger;
  /**
   * The frame-ancestors sources for a request (HighLevel's domains, FRAME_ANCESTORS, a learned white-label origin).
   * Asked before helmet, whose directive functions cannot wait: the answer reaches the CSP through res.locals.
   */
  frameAncestors(req: IncomingMessage): Awaitable<string>;
  /** TRUSTED_PROXIES: whose X-Forwarded-For decides req.ip (rate limits key on it); empty: trust none. */
  trustedProxies?: string[];
}

export function buildApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const proxies = options.trustedProxies ?? ['loopback', 'linklocal', 'uniquelocal'];
  app.set('trust proxy', proxies.length > 0 ? proxies : false);
  app.set('query parser', 'simple');
  app.use(async (req, res, next) => {
    res.locals.frameAncestors = await options.frameAncestors(req);
    next();
  });
  app.use(helmet({
    // The embedded page lives in HighLevel's iframe: framing is governed by CSP frame-ancestors, not X-Frame-Options.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'frame-ancestors': [(_req: IncomingMessage, res: ServerResponse) => (res as express.Response).locals.frameAncestors as string],
        'frame-src': ["'self'"],
        'form-action': ["'self'"],
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  }));
  app.use(express.json({ limit: '100kb' }));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  for (const router of options.routers) app.use(router);

  app.use((_req, res) => { res.status(404).json({ error: 'not_found' }); });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = error instanceof InputError ? error.status
      : typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status >= 500) options.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    const message = status >= 500 ? 'internal_error' : error.type === 'entity.too.large' ? 'body_too_large' : error.type === 'entity.parse.failed' ? 'invalid_json' : error.message;
    res.status(status).json({ error: message, ...(error instanceof InputError && error.details ? { details: error.details } : {}) });
  };
  app.use(onError);
  return app;
}

/** The server's one request handler: the webhook fast path first, express for everything else. */
export function createRequestHandler(app: express.Express, webhook: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'POST' && (req.url === '/webhooks/highlevel' || req.url?.startsWith('/webhooks/highlevel?'))) {
      webhook(req, res);
      return;
    }
    app(req, res);
  };
}
