// Facts the app notices about a location by itself, on PostgreSQL: the same contract as src/store/location-flags.ts.
import type { FlagSighting } from '../../workflow/ports/storage.js';
import type { AsyncStore } from '../async-store.js';
import type { LocationFlagStore } from '../location-flags.js';
import type { Postgres } from './pool.js';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

export function createPostgresLocationFlags(pg: Pick<Postgres, 'pool'>): AsyncStore<LocationFlagStore> {
  const db = pg.pool;
  return {
    async hadMissedCall(locationId, contactId, from, to) {
      // calls_location_time narrows to the window; the contact is checked on the few rows in it.
      const { rows } = await db.query(`
        SELECT 1 FROM calls WHERE location_id = $1 AND occurred_at >= $2 AND occurred_at <= $3 AND missed = 1 AND contact_id = $4
        LIMIT 1`, [locationId, from, to, contactId]);
      return rows.length > 0;
    },
    async isOwnText(locationId, text) {
      if (text.messageId) {
        const { rows } = await db.query('SELECT 1 FROM messages WHERE provider_message_id = $1 AND location_id = $2 LIMIT 1', [text.messageId, locationId]);
        if (rows.length > 0) return true;
      }
      // HighLevel may add a sender name or an opt-out line around the app's words: containment, not equality.
      const body = squash(text.body);
      if (!body) return false;
      const { rows } = await db.query<{ body: string }>(
        'SELECT body FROM messages WHERE location_id = $1 AND created_at >= $2 AND contact_id = $3 LIMIT 50', [locationId, text.since, text.contactId]);
      return rows.some((row) => { const own = squash(row.body); return own !== '' && body.includes(own); });
    },
    /** One statement: sightings from several instances at once all count. */
    async raise(locationId, flag, at) {
      await db.query(`
        INSERT INTO location_flags AS f (location_id, flag, first_seen_at, last_seen_at, hits) VALUES ($1, $2, $3, $3, 1)
        ON CONFLICT (location_id, flag) DO UPDATE SET last_seen_at = GREATEST(f.last_seen_at, EXCLUDED.last_seen_at), hits = f.hits + 1`,
      [locationId, flag, at]);
    },
    async list(locationId) {
      const { rows } = await db.query<FlagSighting>(`
        SELECT flag, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", hits FROM location_flags WHERE location_id = $1`, [locationId]);
      return rows;
    },
  };
}
