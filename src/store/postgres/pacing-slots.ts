// HighLevel pacing shared by every instance on PostgreSQL: one row per location (or company) holding the expiry of
// each live request slot and the hold after a 429, changed by one atomic upsert per reservation (docs/decisions/0012).
import { randomUUID } from 'node:crypto';
import { slotsFreeAt, type PacingSlots } from '../pacing-slots.js';
import type { Postgres } from './pool.js';

/**
 * One statement per reservation. INSERT … ON CONFLICT DO UPDATE takes the owner's row lock, so reservations of one
 * owner queue on it (a second INSERT of a new owner waits for the first and then updates the committed row), and the
 * SET expressions read the newest committed version: two instances never both take the window's last slot. The
 * expiries still live are kept, this reservation's appended when they fit; `reservation` takes this call's token only
 * when it was granted, which is how RETURNING tells the caller (it sees the new row only). Rows stay (one per owner).
 */
const RESERVE_SQL = /* sql */ `
  INSERT INTO pacing_slots AS p (owner_id, expiries, blocked_until, reservation, updated_at)
  VALUES ($1, CASE WHEN $3::integer <= $5::integer THEN array_fill($4::bigint, ARRAY[$3::integer]) ELSE '{}'::bigint[] END, 0,
          CASE WHEN $3::integer <= $5::integer THEN $6 END, $2::bigint)
  ON CONFLICT (owner_id) DO UPDATE SET
    expiries = ARRAY(SELECT e FROM unnest(p.expiries) e WHERE e > $2::bigint) || CASE
      WHEN p.blocked_until <= $2::bigint AND (SELECT count(*) FROM unnest(p.expiries) e WHERE e > $2::bigint) + $3::integer <= $5::integer
      THEN array_fill($4::bigint, ARRAY[$3::integer]) ELSE '{}'::bigint[] END,
    reservation = CASE
      WHEN p.blocked_until <= $2::bigint AND (SELECT count(*) FROM unnest(p.expiries) e WHERE e > $2::bigint) + $3::integer <= $5::integer
      THEN $6 ELSE p.reservation END,
    updated_at = $2::bigint
  RETURNING reservation IS NOT DISTINCT FROM $6 AS granted, expiries, blocked_until`;

export function createPostgresPacingSlots(pg: Pick<Postgres, 'pool'>): PacingSlots {
  const db = pg.pool;
  return {
    async reserve(ownerId, { count, now, expiresAt, max }) {
      const token = randomUUID();
      const { rows } = await db.query<{ granted: boolean; expiries: (number | string)[]; blocked_until: number }>(
        RESERVE_SQL, [ownerId, now, count, expiresAt, max, token]);
      const row = rows[0];
      if (row.granted) return { granted: true };
      if (row.blocked_until > now) return { granted: false, retryAt: row.blocked_until };
      return { granted: false, retryAt: slotsFreeAt(row.expiries.map(Number), count, max, now) };
    },
    async block(ownerId, until) {
      await db.query(`
        INSERT INTO pacing_slots AS p (owner_id, expiries, blocked_until, reservation, updated_at) VALUES ($1, '{}', $2::bigint, NULL, $2::bigint)
        ON CONFLICT (owner_id) DO UPDATE SET blocked_until = GREATEST(p.blocked_until, $2::bigint)`, [ownerId, until]);
    },
  };
}
