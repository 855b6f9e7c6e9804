// Every request's path through the stand-in: route → bearer → rate limit → Version → fault → body → handler → JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';
import type { createFaultInjector } from './faults.js';
import {
  apiError, isFormContentType, isJsonContentType, oauthError, parseForm, parseJsonObject, readBody, sendJson,
  StandInHttpError,
} from './http-io.js';
import { createTraceId } from './ids.js';
import type { createRateLimiter } from './rate-limiter.js';
import type { Family, Route, createRouter } from './router.js';
import type { Grant, TokenStore } from './token-store.js';
import type { StandInCounters } from './types.js';

const VERSIONS: Record<Exclude<Family, 'oauth-token'>, string> = {
  oauth: '2021-07-28',
  contacts: '2021-07-28',
  locations: '2021-07-28',
  'phone-system': '2021-07-28',
  conversations: '2021-04-15',
};
const FAULTABLE = new Set<Family>(['contacts', 'conversations', 'locations', 'phone-system']);
const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function createPipeline(deps: {
  clock: Clock;
  router: ReturnType<typeof createRouter>;
  tokens: TokenStore;
  limiter: ReturnType<typeof createRateLimiter> | undefined;
  faults: ReturnType<typeof createFaultInjector>;
  counters: StandInCounters;
}) {
  const hangs = new Map<NodeJS.Timeout, ServerResponse>();

  function handle(req: IncomingMessage, res: ServerResponse): void {
    deps.counters.requests += 1;
    const headers: Record<string, string> = { traceId: createTraceId() };
    serve(req, res, headers).catch((error: unknown) => {
      const failure = error instanceof StandInHttpError
        ? error
        : apiError(500, `Stand-in failure: ${error instanceof Error ? error.message : String(error)}`);
      const body = 'statusCode' in failure.body ? { ...failure.body, traceId: headers.traceId } : failure.body;
      sendJson(res, failure.status, body, headers);
    });
  }

  async function serve(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const match = deps.router.match(path, req.method ?? 'GET');
    if (match === undefined) throw apiError(404, `Cannot ${req.method} ${path}`);
    const { route } = match;
    let grant: Grant | undefined;
    if (route.family !== 'oauth-token') {
      grant = authenticate(req);
      enforceRateLimit(grant, headers);
      if (req.headers.version !== VERSIONS[route.family]) throw apiError(400, 'version header is invalid');
      if (FAULTABLE.has(route.family) && injectFault(res)) return;
    }
    const body = route.body === 'none' ? {} : await readRouteBody(req, route);
    const reply = await route.handle({
      params: match.params,
      query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
      body,
      ...(grant !== undefined ? { grant } : {}),
      now: deps.clock.now(),
    });
    sendJson(res, reply.status, reply.body, headers);
  }

  function authenticate(req: IncomingMessage): Grant {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const grant = token === undefined ? undefined : deps.tokens.authenticate(token);
    if (grant === undefined) throw apiError(401, 'Invalid JWT');
    return grant;
  }

  function enforceRateLimit(grant: Grant, headers: Record<string, string>): void {
    if (deps.limiter === undefined) return;
    const key = grant.userType === 'Location' ? `location:${grant.locationId}` : `company:${grant.companyId}`;
    const decision = deps.limiter.take(key);
    Object.assign(headers, decision.headers);
    if (!decision.allowed) {
      deps.counters.rateLimited += 1;
      throw apiError(429, 'Too many requests');
    }
  }

  /** True when the request was taken over by a hang; the route's action is never performed on a fault. */
  function injectFault(res: ServerResponse): boolean {
    const kind = deps.faults.pick();
    if (kind === undefined) return false;
    deps.counters.faults += 1;
    if (kind === '429') throw apiError(429, 'Too many requests');
    if (kind === '500') throw apiError(500, 'Internal server error');
    const timer = setTimeout(() => {
      hangs.delete(timer);
      res.socket?.destroy();
    }, deps.faults.hangMs);
    timer.unref();
    hangs.set(timer, res);
    res.on('close', () => {
      clearTimeout(timer);
      hangs.delete(timer);
    });
    return true;
  }

  async function readRouteBody(req: IncomingMessage, route: Route): Promise<Record<string, unknown>> {
    const text = await readBody(req);
    if (route.body === 'json') {
      if (text !== '' && !isJsonContentType(req)) throw apiError(400, 'Content-Type must be application/json');
      return parseJsonObject(text);
    }
    if (text !== '' && !isFormContentType(req)) {
      const reason = 'Content-Type must be application/x-www-form-urlencoded';
      throw route.family === 'oauth-token' ? oauthError(400, 'invalid_request', reason) : apiError(400, reason);
    }
    return parseForm(text);
  }

  /** Ends every hanging request at once (used on close, so shutting down never waits for hangMs). */
  function releaseHangs(): void {
    for (const [timer, res] of hangs) {
      clearTimeout(timer);
      res.socket?.destroy();
    }
    hangs.clear();
  }

  return { handle, releaseHangs };
}
