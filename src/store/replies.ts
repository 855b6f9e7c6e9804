// Inbound texts from callers, kept as what they meant (opt-out, help, opt-in, reply), never their words.
import type { Db } from './db.js';
import type { ReplyLog } from '../workflow/stores.js';

export function createReplyLog(db: Db): ReplyLog {
  const insert = db.prepare(`
    INSERT INTO replies (location_id, reply_key, contact_id, phone, meaning, received_at)
    VALUES (@locationId, @replyKey, @contactId, @phone, @meaning, @receivedAt) ON CONFLICT DO NOTHING`);
  const since = db.prepare(`SELECT 1 FROM replies WHERE location_id = ? AND phone = ? AND received_at >= ? LIMIT 1`).pluck();
  return {
    record: (input) => insert.run(input).changes === 1,
    repliedSince: (locationId, phone, at) => since.get(locationId, phone, at) === 1,
  };
}
