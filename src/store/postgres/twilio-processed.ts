// Inbound Twilio texts already accepted, by MessageSid, on PostgreSQL: only the id and when it arrived (see
// src/store/twilio-processed.ts for why).
import type { AsyncStore } from '../async-store.js';
import type { ProcessedTwilioMessages } from '../twilio-processed.js';
import type { Postgres } from './pool.js';

export type PostgresProcessedTwilioMessages = AsyncStore<ProcessedTwilioMessages>;

export function createPostgresProcessedTwilioMessages(pg: Pick<Postgres, 'pool'>): PostgresProcessedTwilioMessages {
  const db = pg.pool;
  return {
    async seen(messageSid) {
      return (await db.query('SELECT 1 FROM twilio_processed_messages WHERE message_sid = $1', [messageSid])).rowCount === 1;
    },
    async remember(messageSid, at) {
      await db.query('INSERT INTO twilio_processed_messages (message_sid, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [messageSid, at]);
    },
  };
}
