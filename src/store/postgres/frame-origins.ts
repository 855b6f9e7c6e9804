// White-label CRM origins on PostgreSQL: the twin of src/store/frame-origins.ts, shared by every instance.
import type { AsyncStore } from '../async-store.js';
import { whiteLabelOrigin, type FrameOrigins } from '../frame-origins.js';
import type { Postgres } from './pool.js';

export type PostgresFrameOrigins = ReturnType<typeof createPostgresFrameOrigins>;

export function createPostgresFrameOrigins(pg: Pick<Postgres, 'pool'>) {
  const db = pg.pool;
  return {
    /** Returns the origin learned, or null when the domain is not a usable host name. */
    async learn(domain: string, companyId: string | null, now: number): Promise<string | null> {
      const origin = whiteLabelOrigin(domain);
      if (origin) {
        // One statement: two instances learning the same origin at once both end with one row (last writer's time).
        await db.query(`
          INSERT INTO frame_origins (origin, company_id, learned_at) VALUES ($1, $2, $3)
          ON CONFLICT (origin) DO UPDATE SET company_id = COALESCE(excluded.company_id, frame_origins.company_id), learned_at = excluded.learned_at`,
        [origin, companyId, now]);
      }
      return origin;
    },
    async has(origin: string): Promise<boolean> {
      return ((await db.query('SELECT 1 FROM frame_origins WHERE origin = $1', [origin])).rowCount ?? 0) > 0;
    },
  } satisfies AsyncStore<FrameOrigins>;
}
