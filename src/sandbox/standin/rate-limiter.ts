// HighLevel's per-app burst and daily limits, per location (or company), with fixed windows on the injected clock.
import { DAY, type Clock } from '../../lib/clock.js';

export const DAILY_LIMIT = 200_000;

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

interface Bucket {
  windowStartAt: number;
  used: number;
  dayStartAt: number;
  usedToday: number;
}

export function createRateLimiter(clock: Clock, limit: { max: number; intervalMs: number }) {
  const buckets = new Map<string, Bucket>();

  /** Counts one request against `key`; a refused request does not use up quota. */
  function take(key: string): RateDecision {
    const now = clock.now();
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { windowStartAt: now, used: 0, dayStartAt: now, usedToday: 0 };
      buckets.set(key, bucket);
    }
    if (now >= bucket.windowStartAt + limit.intervalMs) {
      bucket.windowStartAt = now;
      bucket.used = 0;
    }
    if (now >= bucket.dayStartAt + DAY) {
      bucket.dayStartAt = now;
      bucket.usedToday = 0;
    }
    const allowed = bucket.used < limit.max && bucket.usedToday < DAILY_LIMIT;
    if (allowed) {
      bucket.used += 1;
      bucket.usedToday += 1;
    }
    return {
      allowed,
      headers: {
        'X-RateLimit-Max': String(limit.max),
        'X-RateLimit-Remaining': String(limit.max - bucket.used),
        'X-RateLimit-Interval-Milliseconds': String(limit.intervalMs),
        'X-RateLimit-Limit-Daily': String(DAILY_LIMIT),
        'X-RateLimit-Daily-Remaining': String(DAILY_LIMIT - bucket.usedToday),
      },
    };
  }

  return { take };
}
