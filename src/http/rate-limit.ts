// A small in-memory fixed-window rate limiter (one process serves the app), and its express guard keyed by client IP.
import type { Request, RequestHandler } from 'express';
import type { Clock } from '../lib/clock.js';

export interface RateLimiter {
  /** Counts one attempt for `key`; false when the key has used up its window. */
  take(key: string): boolean;
  /** Milliseconds until `key` may try again (0 when it may now). */
  retryAfterMs(key: string): number;
}

export function createRateLimiter(options: { limit: number; windowMs: number; clock: Clock; maxKeys?: number }): RateLimiter {
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

/** 429 with Retry-After once the client's address has used up its window. */
export function rateLimitByIp(limiter: RateLimiter): RequestHandler {
  return (req: Request, res, next) => {
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (limiter.take(key)) return next();
    res.set('Retry-After', String(Math.max(1, Math.ceil(limiter.retryAfterMs(key) / 1000))));
    res.status(429).json({ error: 'rate_limited', message: 'Too many attempts; try again in a minute.' });
  };
}
