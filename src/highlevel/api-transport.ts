// One HighLevel API request done right: the owner's own token, pacing, one refresh on 401, 429 waits, safe retries.
import { isAxiosError, type Axios, type AxiosResponse } from 'axios';
import type { Clock } from '../lib/clock.js';
import { HighLevelApiError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { AccessTokens } from './access-tokens.js';
import { createHighLevelHttp } from './http-adapter.js';
import type { Pacer } from './pacer.js';

const MAX_WAIT_MS = 60_000;
/**
 * How long a location's requests are held once HighLevel says its day's quota (200,000 requests) is spent. HighLevel
 * does not say when the day turns; a request after this hold finds out, and is held again if it is still spent.
 */
export const DAILY_QUOTA_HOLD_MS = 15 * 60_000;
// The request never reached HighLevel: safe to try again even for a send.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** HighLevel kept answering 429: nothing was acted upon; try again after `retryAfterMs` when known. */
export class RateLimitedError extends HighLevelApiError {
  constructor(message: string, traceId: string | undefined, readonly retryAfterMs: number | null) {
    super(message, 429, traceId, true, false);
    this.name = 'RateLimitedError';
  }
}

/** One HTTP exchange with HighLevel, for metrics. `family` is the path's first segment, e.g. conversations. */
export interface RequestInfo { family: string; status: number | null; ms: number; rateLimited: boolean }

export interface TransportOptions {
  apiUrl: string;
  accessTokens: Pick<AccessTokens, 'forLocation' | 'forCompany' | 'afterUnauthorized'>;
  pacer: Pacer;
  clock: Clock;
  sleep(ms: number): Promise<void>;
  logger: Logger;
  timeoutMs?: number;
  /** Retries of a 429, and of a 5xx or dropped connection on idempotent requests. */
  maxRetries?: number;
  /** axios.create() or createHighLevelHttp(): only its `request` is used. */
  http?: Pick<Axios, 'request'>;
  onRequest?(info: RequestInfo): void;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  /** A template such as /contacts/{contactId}: logged as is, so no ids, phones or tokens reach the logs. */
  path: string;
  params?: Record<string, string>;
  version: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  ownerKind: 'location' | 'company';
  /** Repeating it cannot cause a second effect (GETs, PUT dnd, tags): 5xx and timeouts are retried. */
  idempotent: boolean;
}

export function createApiTransport(options: TransportOptions) {
  const { accessTokens, pacer, clock, sleep, logger } = options;
  const http = options.http ?? createHighLevelHttp();
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const maxRetries = options.maxRetries ?? 4;

  /** Resolves with a 2xx answer; otherwise throws HighLevelApiError (or the token errors of AccessTokens). */
  async function request(ownerId: string, spec: RequestSpec): Promise<AxiosResponse> {
    const url = apiUrl + spec.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(spec.params?.[name] ?? ''));
    const family = spec.path.split('/')[1];
    let token: string | null = null;
    let refreshed = false;
    let failures = 0;
    let rateLimits = 0;
    for (;;) {
      await pacer.acquire(ownerId);
      token ??= spec.ownerKind === 'company' ? await accessTokens.forCompany(ownerId) : await accessTokens.forLocation(ownerId);
      const startedAt = clock.now();
      let response: AxiosResponse | null = null;
      let failure: unknown = null;
      try {
        response = await http.request({
          method: spec.method, url, params: spec.query, data: spec.body, timeout: options.timeoutMs ?? 15_000,
          headers: { Authorization: `Bearer ${token}`, Version: spec.version, Accept: 'application/json' },
          validateStatus: () => true,
          // HighLevel's API does not redirect: without this axios wraps every request in follow-redirects.
          maxRedirects: 0,
        });
      } catch (error) {
        failure = error;
      }
      const status = response?.status ?? null;
      const ms = clock.now() - startedAt;
      const traceId = response ? traceIdOf(response) : undefined;
      logger.debug({ method: spec.method, path: spec.path, status, ms, traceId }, 'highlevel request');
      options.onRequest?.({ family, status, ms, rateLimited: status === 429 });
      if (response) {
        pacer.observe(ownerId, response.headers as Record<string, unknown>, startedAt);
        // The last request the day allowed (whatever its answer): hold the rest, as after a 429 that says so.
        if (dailyQuotaSpent(response) && status !== 429) pacer.penalize(ownerId, DAILY_QUOTA_HOLD_MS);
      }

      if (response && response.status >= 200 && response.status < 300) return response;
      if (status === 401 && !refreshed) {
        refreshed = true;
        token = await accessTokens.afterUnauthorized(ownerId, token);
        continue;
      }
      if (response && status === 429) {
        // A 429 was not acted upon, so even a send may be repeated.
        const waitMs = rateLimitWait(response, rateLimits);
        if (waitMs === null) {
          // The day's quota is spent: every request before the day turns would be refused too. Hold them all (on
          // every instance: the pacer shares a hold) instead of letting each job knock and fail.
          pacer.penalize(ownerId, DAILY_QUOTA_HOLD_MS);
          throw new RateLimitedError(messageOf(response), traceId, DAILY_QUOTA_HOLD_MS);
        }
        if (waitMs > MAX_WAIT_MS || rateLimits >= maxRetries) throw new RateLimitedError(messageOf(response), traceId, waitMs);
        rateLimits += 1;
        pacer.penalize(ownerId, waitMs);
        await sleep(waitMs);
        continue;
      }
      const transient = response === null || status === 408 || (status !== null && status >= 500);
      if (transient && spec.idempotent && failures < maxRetries) {
        await sleep(Math.min(8_000, 500 * 2 ** failures));
        failures += 1;
        continue;
      }
      throw response ? answeredError(spec, response, traceId) : unansweredError(spec, failure);
    }
  }

  return { request };
}

export function traceIdOf(response: AxiosResponse): string | undefined {
  const body = response.data && typeof response.data === 'object' ? (response.data as { traceId?: unknown }) : {};
  const value = body.traceId ?? response.headers?.['x-trace-id'] ?? response.headers?.['traceid'];
  return typeof value === 'string' && value ? value : undefined;
}

function dailyQuotaSpent(response: AxiosResponse): boolean {
  const left = response.headers['x-ratelimit-daily-remaining'];
  return left !== undefined && left !== null && left !== '' && Number(left) === 0;
}

/** null: the daily quota is spent, so waiting out the burst window would not help. */
function rateLimitWait(response: AxiosResponse, attempt: number): number | null {
  if (dailyQuotaSpent(response)) return null;
  const interval = Number(response.headers['x-ratelimit-interval-milliseconds']);
  if (Number.isFinite(interval) && interval > 0) return interval;
  const retryAfter = Number(response.headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  return Math.min(MAX_WAIT_MS, 1_000 * 2 ** attempt);
}

function answeredError(spec: RequestSpec, response: AxiosResponse, traceId: string | undefined): HighLevelApiError {
  const status = response.status;
  // A gateway timeout means HighLevel's backend may have acted without answering: a send is then ambiguous.
  const ambiguous = !spec.idempotent && status === 504;
  const retryable = !ambiguous && (status >= 500 || status === 408);
  return new HighLevelApiError(messageOf(response), status, traceId, retryable, ambiguous);
}

function unansweredError(spec: RequestSpec, error: unknown): HighLevelApiError {
  const code = isAxiosError(error) ? error.code : undefined;
  const ambiguous = !spec.idempotent && !(code !== undefined && NOT_SENT.has(code));
  const what = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timed out' : `failed (${code ?? 'network error'})`;
  return new HighLevelApiError(`HighLevel ${spec.method} ${spec.path} ${what}`, null, undefined, !ambiguous, ambiguous);
}

/** HighLevel's own words: `message` (an array on 422), else `error` or `msg`. */
function messageOf(response: AxiosResponse): string {
  const body = response.data && typeof response.data === 'object' ? (response.data as Record<string, unknown>) : {};
  for (const candidate of [body.message, body.error, body.msg]) {
    if (typeof candidate === 'string' && candidate) return candidate;
    if (Array.isArray(candidate) && candidate.length > 0) return candidate.map(String).join('; ');
  }
  return `HighLevel answered ${response.status}`;
}
