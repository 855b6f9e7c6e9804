// Rate limiting at the edge: the client key (an IPv6 /64 is one client), a small in-memory fixed-window limiter for
// per-process limits, and the express guard keyed by client (it takes this limiter or the database's shared one).
import { isIPv4, isIPv6 } from 'node:net';
import type { Request, RequestHandler } from 'express';
import type { Clock } from '../lib/clock.js';
import type { Awaitable } from '../lib/awaitable.js';

/**
 * Who a request comes from, for rate limits: req.ip (the first untrusted address of X-Forwarded-For, as the
 * TRUSTED_PROXIES setting decides), reduced to its /64 for IPv6 (one subscriber usually holds a whole /64) and to
 * the plain address for IPv4-mapped IPv6.
 */
export function clientKey(req: Pick<Request, 'ip' | 'socket'>): string {
  return clientKeyOf(req.ip ?? req.socket?.remoteAddress ?? 'unknown');
}

export function clientKeyOf(address: string): string {
  const ip = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as hex without leading zeros ('::' and a trailing IPv4 expanded). */
function expandIPv6(ip: string): string[] {
  let text = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => parseInt(group || '0', 16).toString(16));
}

/** A limiter in memory or in the database (src/store/rate-counters.ts, whose answers may come as promises). */
export interface RateLimiter {
  /** Counts one attempt for `key`; false when the key has used up its window. */
  take(key: string): Awaitable<boolean>;
  /** Milliseconds until `key` may try again (0 when it may now). */
  retryAfterMs(key: string): Awaitable<number>;
}

/** The in-memory limiter answers at once. */
export interface MemoryRateLimiter extends RateLimiter {
  take(key: string): boolean;
  retryAfterMs(key: string): number;
}

export function createRateLimiter(options: { limit: number; windowMs: number; clock: Clock; maxKeys?: number }): MemoryRateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  const maxKeys = options.maxKeys ?? 10_000;

  function current(key: string, now: number) {
    const entry = windows.get(key);
    return entry && now - entry.startedAt < options.windowMs ? entry : null;
  }
  function sweep(now: number): void {
    for (const [key, entry] of windows) if (now - entry.startedAt >= options.windowMs) windows.delete(key);
    // Still full of live keys (a flood from many addresses): forget the oldest rather than grow without bound.
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  }

  return {
    take(key) {
      const now = options.clock.now();
      const entry = current(key, now);
      if (entry) {
        if (entry.count >= options.limit) return false;
        entry.count += 1;
        return true;
      }
      if (windows.size >= maxKeys) sweep(now);
      windows.delete(key);
      windows.set(key, { startedAt: now, count: 1 });
      return true;
    },
    retryAfterMs(key) {
      const now = options.clock.now();
      const entry = current(key, now);
      return entry && entry.count >= options.limit ? entry.startedAt + options.windowMs - now : 0;
    },
  };
}

/** 429 with Retry-After once the client (see clientKey) has used up its window. */
export function rateLimitByIp(limiter: RateLimiter): RequestHandler {
  return async (req: Request, res, next) => {
    const key = clientKey(req);
    if (await limiter.take(key)) return next();
    res.set('Retry-After', String(Math.max(1, Math.ceil(await limiter.retryAfterMs(key) / 1000))));
    res.status(429).json({ error: 'rate_limited', message: 'Too many attempts; try again in a minute.' });
  };
}
