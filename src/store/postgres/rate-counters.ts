// Rate limits counted in PostgreSQL: the twin of src/store/rate-counters.ts, one limit per client or sub-account
// across every instance sharing the database.
import { createHash } from 'node:crypto';
import type { AsyncStore } from '../async-store.js';
import type { Clock } from '../../lib/clock.js';
import type { SharedRateLimiter } from '../rate-counters.js';
import type { Postgres } from './pool.js';

/** Expired buckets are swept at most this often per limiter (each take touches one row; the sweep is a range delete). */
const SWEEP_EVERY_MS = 60_000;

/**
 * A window opens at a bucket's first hit and lasts `windowMs`. The hit is one atomic upsert: concurrent takes of one
 * bucket queue on its row lock (the unique key makes a second INSERT wait for the first and then take DO UPDATE on
 * the committed row), so each sees the count the one before it left and two instances never both take the last slot.
 * The count stops at limit + 1, which is all that "used up" needs. Keys are stored hashed; rows go once expired.
 */
export type PostgresSharedRateLimiter = ReturnType<typeof createPostgresSharedRateLimiter>;

export function createPostgresSharedRateLimiter(
  pg: Pick<Postgres, 'pool'>,
  options: { name: string; limit: number; windowMs: number; clock: Clock },
) {
  const db = pg.pool;
  const { limit, windowMs, clock } = options;
  let sweptAt = -Infinity;
  const bucketOf = (key: string) => `${options.name}:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;

  return {
    async take(key: string): Promise<boolean> {
      const now = clock.now();
      if (now - sweptAt >= SWEEP_EVERY_MS) {
        sweptAt = now;
        await db.query('DELETE FROM rate_counters WHERE expires_at <= $1', [now]);
      }
      const { rows } = await db.query<{ hits: number }>(`
        INSERT INTO rate_counters AS c (bucket, window_started_at, hits, expires_at) VALUES ($1, $2::bigint, 1, $2::bigint + $3::bigint)
        ON CONFLICT (bucket) DO UPDATE SET
          hits = CASE WHEN $2::bigint >= c.expires_at THEN 1 ELSE LEAST(c.hits + 1, $4::integer + 1) END,
          window_started_at = CASE WHEN $2::bigint >= c.expires_at THEN $2::bigint ELSE c.window_started_at END,
          expires_at = CASE WHEN $2::bigint >= c.expires_at THEN $2::bigint + $3::bigint ELSE c.expires_at END
        RETURNING hits`, [bucketOf(key), now, windowMs, limit]);
      return rows[0].hits <= limit;
    },
    async retryAfterMs(key: string): Promise<number> {
      const now = clock.now();
      const { rows } = await db.query<{ hits: number; expires_at: number }>('SELECT hits, expires_at FROM rate_counters WHERE bucket = $1', [bucketOf(key)]);
      const row = rows[0];
      return row && row.hits > limit && row.expires_at > now ? row.expires_at - now : 0;
    },
  } satisfies AsyncStore<SharedRateLimiter>;
}
