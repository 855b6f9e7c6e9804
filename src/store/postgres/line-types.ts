// What kind of line each number is, as one location learned it, on PostgreSQL: kept 180 days, per location (see
// src/store/line-types.ts).
import type { AsyncStore } from '../async-store.js';
import { LINE_TYPE_MAX_AGE_MS, type LineTypeCache, type LineTypeFact } from '../line-types.js';
import type { Postgres } from './pool.js';

export type PostgresLineTypeCache = AsyncStore<LineTypeCache>;

export function createPostgresLineTypeCache(pg: Pick<Postgres, 'pool'>): PostgresLineTypeCache {
  const db = pg.pool;
  return {
    async get(locationId, phone, now) {
      const { rows } = await db.query<LineTypeFact>(`
        SELECT line_type AS "lineType", source, checked_at AS "checkedAt" FROM location_line_types WHERE location_id = $1 AND phone = $2`,
      [locationId, phone]);
      const fact = rows[0];
      return fact && now - fact.checkedAt < LINE_TYPE_MAX_AGE_MS ? fact : null;
    },
    async remember(locationId, phone, lineType, source, now) {
      await db.query(`
        INSERT INTO location_line_types (location_id, phone, line_type, source, checked_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (location_id, phone) DO UPDATE SET line_type = EXCLUDED.line_type, source = EXCLUDED.source, checked_at = EXCLUDED.checked_at`,
      [locationId, phone, lineType, source, now]);
    },
    async forget(locationId, phone) {
      await db.query('DELETE FROM location_line_types WHERE location_id = $1 AND phone = $2', [locationId, phone]);
    },
    async prune(now) {
      return (await db.query('DELETE FROM location_line_types WHERE checked_at < $1', [now - LINE_TYPE_MAX_AGE_MS])).rowCount ?? 0;
    },
  };
}
