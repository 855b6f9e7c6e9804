// Per-location suppression list on PostgreSQL: the same contract as src/store/suppressions.ts. Every change to a
// number's suppression holds the number's lock (number-lock.ts), the one a send's reservation takes: a STOP either
// commits before a reservation (which then sees it) or after it (the send is recorded before the suppression).
import type { SuppressionHold, SuppressionSource } from '../../workflow/ports/storage.js';
import type { AsyncStore } from '../async-store.js';
import type { SuppressionChange, SuppressionEntry, SuppressionStore } from '../suppressions.js';
import { lockNumber } from './number-lock.js';
import { transaction, type Postgres, type Queryable } from './pool.js';

// Same order as SQLite's (bytes, not the database's collation).
const HOLDS = `SELECT source, created_at AS since FROM suppression_sources WHERE location_id = $1 AND phone = $2 ORDER BY created_at, source COLLATE "C"`;
const MATCHES = `location_id = $1 AND ($2::text IS NULL OR phone LIKE '%' || $2::text || '%')`;

export function createPostgresSuppressions(pg: Pick<Postgres, 'pool'>): AsyncStore<SuppressionStore> {
  const db = pg.pool;
  const holdsOf = async (client: Queryable, locationId: string, phone: string) =>
    (await client.query<SuppressionHold>(HOLDS, [locationId, phone])).rows;

  const store: AsyncStore<SuppressionStore> = {
    async isSuppressed(locationId, phone) {
      const { rows } = await db.query('SELECT 1 FROM suppressions WHERE location_id = $1 AND phone = $2', [locationId, phone]);
      return rows.length > 0;
    },
    /** A history row for every source that starts holding the number; true when the number was not suppressed before. */
    suppress: (input, now) => transaction(db, async (client) => {
      await lockNumber(client, input.locationId, input.phone);
      const { rows } = await client.query<{ added: boolean }>(`
        WITH added AS (
          INSERT INTO suppressions (location_id, phone, source, created_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT DO NOTHING RETURNING 1
        ), held AS (
          INSERT INTO suppression_sources (location_id, phone, source, created_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT DO NOTHING RETURNING 1
        ), noted AS (
          INSERT INTO suppression_history (location_id, phone, action, source, reason, actor, at)
          SELECT $1, $2, 'suppress', $3, $5, $6, $4 FROM held
        )
        SELECT EXISTS (SELECT 1 FROM added) AS added`,
      [input.locationId, input.phone, input.source, now, input.reason ?? null, input.actor]);
      return rows[0].added;
    }),
    /** A history row for every source removed; the number leaves the list when no source holds it any more. */
    lift: (input, now) => transaction(db, async (client) => {
      // The lock makes this read-then-write atomic against other lifts and suppressions of the number.
      await lockNumber(client, input.locationId, input.phone);
      const { rows: [primary] } = await client.query<{ source: SuppressionSource }>(
        'SELECT source FROM suppressions WHERE location_id = $1 AND phone = $2', [input.locationId, input.phone]);
      if (!primary) return false;
      const recorded = await holdsOf(client, input.locationId, input.phone);
      const held = recorded.length > 0 ? recorded : [{ source: primary.source, since: now }];
      const lifted = input.sources ? held.filter((hold) => input.sources!.includes(hold.source)) : held;
      if (lifted.length > 0) {
        const sources = lifted.map((hold) => hold.source);
        await client.query('DELETE FROM suppression_sources WHERE location_id = $1 AND phone = $2 AND source = ANY($3::text[])',
          [input.locationId, input.phone, sources]);
        await client.query(`
          INSERT INTO suppression_history (location_id, phone, action, source, reason, actor, at)
          SELECT $1, $2, 'lift', source, $4, $5, $6 FROM unnest($3::text[]) WITH ORDINALITY AS s (source, n) ORDER BY n`,
        [input.locationId, input.phone, sources, input.reason ?? null, input.actor, now]);
      }
      const left = held.filter((hold) => !lifted.includes(hold));
      if (left.length > 0) {
        await client.query('UPDATE suppressions SET source = $3 WHERE location_id = $1 AND phone = $2', [input.locationId, input.phone, left[0].source]);
        return false;
      }
      await client.query('DELETE FROM suppressions WHERE location_id = $1 AND phone = $2', [input.locationId, input.phone]);
      return true;
    }),
    holdsOf: (locationId, phone) => holdsOf(db, locationId, phone),
    async noteOptIn(locationId, phone, at) {
      await db.query(`
        INSERT INTO opt_ins AS o (location_id, phone, opted_in_at) VALUES ($1, $2, $3)
        ON CONFLICT (location_id, phone) DO UPDATE SET opted_in_at = GREATEST(o.opted_in_at, EXCLUDED.opted_in_at)`,
      [locationId, phone, at]);
    },
    async lastOptInAt(locationId, phone) {
      const { rows } = await db.query<{ opted_in_at: number }>('SELECT opted_in_at FROM opt_ins WHERE location_id = $1 AND phone = $2', [locationId, phone]);
      return rows[0]?.opted_in_at ?? null;
    },
    async noteAppDnd(input, now) {
      await db.query(`
        INSERT INTO app_dnd (location_id, contact_id, phone, set_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (location_id, contact_id) DO UPDATE SET phone = EXCLUDED.phone, set_at = EXCLUDED.set_at`,
      [input.locationId, input.contactId, input.phone, now]);
    },
    async appDndContacts(locationId, phone) {
      const { rows } = await db.query<{ contact_id: string }>(
        'SELECT contact_id FROM app_dnd WHERE location_id = $1 AND phone = $2 ORDER BY set_at', [locationId, phone]);
      return rows.map((row) => row.contact_id);
    },
    async forgetAppDnd(locationId, contactId) {
      await db.query('DELETE FROM app_dnd WHERE location_id = $1 AND contact_id = $2', [locationId, contactId]);
    },
    /** One page, newest first, with each number's holds read in one more statement. */
    async list(locationId, options) {
      const search = options.search?.replace(/[^\d]/g, '') || null;
      const [page, count] = await Promise.all([
        db.query<Omit<SuppressionEntry, 'sources'>>(`
          SELECT phone, source, created_at AS "createdAt" FROM suppressions WHERE ${MATCHES}
          ORDER BY created_at DESC, phone COLLATE "C" LIMIT $3 OFFSET $4`, [locationId, search, options.limit, options.offset]),
        db.query<{ total: number }>(`SELECT COUNT(*) AS total FROM suppressions WHERE ${MATCHES}`, [locationId, search]),
      ]);
      const phones = page.rows.map((row) => row.phone);
      const holds = new Map<string, SuppressionHold[]>(phones.map((phone) => [phone, []]));
      if (phones.length > 0) {
        const { rows } = await db.query<SuppressionHold & { phone: string }>(`
          SELECT phone, source, created_at AS since FROM suppression_sources WHERE location_id = $1 AND phone = ANY($2::text[])
          ORDER BY created_at, source COLLATE "C"`, [locationId, phones]);
        for (const { phone, ...hold } of rows) holds.get(phone)!.push(hold);
      }
      return { items: page.rows.map((row) => ({ ...row, sources: holds.get(row.phone)! })), total: count.rows[0].total };
    },
    async history(locationId, phone) {
      const { rows } = await db.query<SuppressionChange>(`
        SELECT phone, action, source, reason, actor, at FROM suppression_history WHERE location_id = $1 AND phone = $2 ORDER BY at, id`,
      [locationId, phone]);
      return rows;
    },
  };
  return store;
}
