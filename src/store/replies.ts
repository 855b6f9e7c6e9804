// Inbound texts from callers, kept as what they meant (opt-out, help, opt-in, reply), never their words.
import type { Db } from './db.js';
import type { ReplyAnswer, ReplyLog } from '../workflow/ports/storage.js';

export function createReplyLog(db: Db): ReplyLog {
  const insert = db.prepare(`
    INSERT INTO replies (location_id, reply_key, contact_id, phone, meaning, received_at, answer)
    VALUES (@locationId, @replyKey, @contactId, @phone, @meaning, @receivedAt, 'pending') ON CONFLICT DO NOTHING`);
  const recorded = db.prepare('SELECT meaning, answer FROM replies WHERE location_id = ? AND reply_key = ?');
  const setAnswer = db.prepare('UPDATE replies SET answer = ? WHERE location_id = ? AND reply_key = ?');
  const since = db.prepare(`SELECT 1 FROM replies WHERE location_id = ? AND phone = ? AND received_at >= ? LIMIT 1`).pluck();
  return {
    record(input) {
      if (insert.run(input).changes === 1) return { fresh: true };
      // Erased since (or never stored): nothing is owed any more.
      const row = recorded.get(input.locationId, input.replyKey) as { meaning: string; answer: ReplyAnswer } | undefined;
      return { fresh: false, meaning: row?.meaning ?? input.meaning, answer: row?.answer ?? 'done' };
    },
    setAnswer: (locationId, replyKey, answer) => { setAnswer.run(answer, locationId, replyKey); },
    repliedSince: (locationId, phone, at) => since.get(locationId, phone, at) === 1,
  };
}
