// Rate limits counted in the database, so every instance sharing it enforces one limit per client or sub-account.
import { createHash } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import type { Db } from './db.js';

/** The same shape as the in-memory limiter (src/http/rate-limit.ts), so the HTTP guards take either. */
export interface SharedRateLimiter {
  /** Counts one attempt for `key`; false when the key has used up its window. */
  take(key: string): boolean;
  /** Milliseconds until `key` may try again (0 when it may now). */
  retryAfterMs(key: string): number;
}

/** Expired buckets are swept at most this often per limiter (each take touches one row; the sweep is a range delete). */
const SWEEP_EVERY_MS = 60_000;

/**
 * A window opens at a bucket's first hit and lasts `windowMs`; one UPSERT counts the hit and reopens a window that
 * ended, atomically, so two instances never both take the last slot. `name` separates limiters; keys (client
 * addresses, location ids) are stored hashed, and the rows vanish once their window is over.
 */
export function createSharedRateLimiter(db: Db, options: { name: string; limit: number; windowMs: number; clock: Clock }): SharedRateLimiter {
  const { limit, windowMs, clock } = options;
  const hit = db.prepare(`
    INSERT INTO rate_counters (bucket, window_started_at, hits, expires_at) VALUES (@bucket, @now, 1, @now + @windowMs)
    ON CONFLICT (bucket) DO UPDATE SET
      hits = CASE WHEN @now >= rate_counters.expires_at THEN 1 ELSE MIN(rate_counters.hits + 1, @limit + 1) END,
      window_started_at = CASE WHEN @now >= rate_counters.expires_at THEN @now ELSE rate_counters.window_started_at END,
      expires_at = CASE WHEN @now >= rate_counters.expires_at THEN @now + @windowMs ELSE rate_counters.expires_at END
    RETURNING hits`).pluck();
  const read = db.prepare(`SELECT hits, expires_at AS expiresAt FROM rate_counters WHERE bucket = ?`);
  const sweep = db.prepare(`DELETE FROM rate_counters WHERE expires_at <= ?`);
  let sweptAt = -Infinity;

  const bucketOf = (key: string) => `${options.name}:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;

  return {
    take(key) {
      const now = clock.now();
      if (now - sweptAt >= SWEEP_EVERY_MS) {
        sweptAt = now;
        sweep.run(now);
      }
      return (hit.get({ bucket: bucketOf(key), now, windowMs, limit }) as number) <= limit;
    },
    retryAfterMs(key) {
      const now = clock.now();
      const row = read.get(bucketOf(key)) as { hits: number; expiresAt: number } | undefined;
      return row && row.hits > limit && row.expiresAt > now ? row.expiresAt - now : 0;
    },
  };
}
