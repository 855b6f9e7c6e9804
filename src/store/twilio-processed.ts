// Inbound Twilio texts already accepted, by MessageSid: Twilio's signature has no time in it, so a captured signed
// START could be replayed at any time. Only the id and when it arrived are kept (no number, no words), never erased.
import type { Db } from './db.js';

export type ProcessedTwilioMessages = ReturnType<typeof createProcessedTwilioMessages>;

export function createProcessedTwilioMessages(db: Db) {
  const seen = db.prepare(`SELECT 1 FROM twilio_processed_messages WHERE message_sid = ?`).pluck();
  const remember = db.prepare(`INSERT INTO twilio_processed_messages (message_sid, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`);
  return {
    seen: (messageSid: string): boolean => seen.get(messageSid) === 1,
    remember(messageSid: string, at: number): void {
      remember.run(messageSid, at);
    },
  };
}
