// Inbound texts from callers on PostgreSQL, kept as what they meant: the same contract as src/store/replies.ts.
import type { ReplyAnswer, ReplyLog } from '../../workflow/ports/storage.js';
import type { AsyncStore } from '../async-store.js';
import type { Postgres } from './pool.js';

export function createPostgresReplyLog(pg: Pick<Postgres, 'pool'>): AsyncStore<ReplyLog> {
  const db = pg.pool;
  return {
    /** Two deliveries of one text at once meet at the unique key: the second waits for the first, then reads its row. */
    async record(input) {
      const inserted = await db.query(`
        INSERT INTO replies (location_id, reply_key, contact_id, phone, meaning, received_at, answer)
        VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT DO NOTHING`,
      [input.locationId, input.replyKey, input.contactId, input.phone, input.meaning, input.receivedAt]);
      if (inserted.rowCount === 1) return { fresh: true };
      const { rows } = await db.query<{ meaning: string; answer: ReplyAnswer }>(
        'SELECT meaning, answer FROM replies WHERE location_id = $1 AND reply_key = $2', [input.locationId, input.replyKey]);
      // Erased since (or never stored): nothing is owed any more.
      return { fresh: false, meaning: rows[0]?.meaning ?? input.meaning, answer: rows[0]?.answer ?? 'done' };
    },
    async setAnswer(locationId, replyKey, answer) {
      await db.query('UPDATE replies SET answer = $3 WHERE location_id = $1 AND reply_key = $2', [locationId, replyKey, answer]);
    },
    async repliedSince(locationId, phone, since) {
      const { rows } = await db.query('SELECT 1 FROM replies WHERE location_id = $1 AND phone = $2 AND received_at >= $3 LIMIT 1', [locationId, phone, since]);
      return rows.length > 0;
    },
  };
}
