// Twilio texts as HighLevel conversation messages on PostgreSQL (see src/store/conversation-messages.ts): the intent
// row written before HighLevel's add-message call, what that call came to, and the statuses owed and accepted.
import type { AsyncStore } from '../async-store.js';
import type { ConversationMessage, ConversationMessages, SendOutcome } from '../conversation-messages.js';
import { isLaterStatus, type HighLevelMessageStatus } from '../../workflow/message-status.js';
import { transaction, type Postgres, type Queryable } from './pool.js';

const COLUMNS = `id, location_id AS "locationId", message_key AS "messageKey", origin, twilio_sid AS "twilioSid",
  contact_id AS "contactId", conversation_id AS "conversationId", hl_message_id AS "hlMessageId", state,
  wanted_status AS "wantedStatus", pushed_status AS "pushedStatus", error_code AS "errorCode", error_message AS "errorMessage"`;

const OUTCOME = `provider_message_id AS sid, status, error_code AS "errorCode", error_message AS "errorMessage"`;

export type PostgresConversationMessages = AsyncStore<ConversationMessages>;

export function createPostgresConversationMessages(pg: Pick<Postgres, 'pool'>): PostgresConversationMessages {
  const db = pg.pool;
  const one = async <T>(client: Queryable, text: string, values: unknown[]): Promise<T | null> =>
    ((await client.query(text, values)).rows[0] as T | undefined) ?? null;
  const changed = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount === 1;
  const get = (id: number) => one<ConversationMessage>(db, `SELECT ${COLUMNS} FROM conversation_messages WHERE id = $1`, [id]);

  return {
    async open(input, now) {
      // Two statements, not one: the SELECT runs on a fresh snapshot, so it also finds a row another instance's run of
      // the same job committed while this INSERT waited on it and then did nothing.
      await db.query(`
        INSERT INTO conversation_messages (location_id, message_key, origin, twilio_sid, contact_id, hl_message_id, state, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
        ON CONFLICT (message_key) DO NOTHING`,
      [input.locationId, input.messageKey, input.origin, input.twilioSid ?? null, input.contactId ?? null, input.hlMessageId ?? null, input.state ?? 'pending', now]);
      return (await one<ConversationMessage>(db, `SELECT ${COLUMNS} FROM conversation_messages WHERE message_key = $1`, [input.messageKey]))!;
    },
    get,
    findBySid: (sid) => one<ConversationMessage>(db, `SELECT ${COLUMNS} FROM conversation_messages WHERE twilio_sid = $1 ORDER BY id DESC LIMIT 1`, [sid]),
    // Conditional single-row UPDATEs (claimPosting, release, markPosted, settle): a second instance's UPDATE of the same
    // row waits for the first to commit and re-checks the state, so exactly one run claims the call to HighLevel.
    claimPosting: (id, now) => changed(`UPDATE conversation_messages SET state = 'posting', updated_at = $2 WHERE id = $1 AND state = 'pending'`, [id, now]),
    async release(id, now) {
      await db.query(`UPDATE conversation_messages SET state = 'pending', updated_at = $2 WHERE id = $1 AND state = 'posting'`, [id, now]);
    },
    async markPosted(id, input, now) {
      await db.query(`
        UPDATE conversation_messages SET state = 'posted', hl_message_id = $2, conversation_id = $3, contact_id = $4, updated_at = $5
        WHERE id = $1 AND state = 'posting'`, [id, input.hlMessageId, input.conversationId, input.contactId, now]);
    },
    async settle(id, state, error, now) {
      await db.query(`
        UPDATE conversation_messages SET state = $2, error_code = $3, error_message = $4, updated_at = $5
        WHERE id = $1 AND state IN ('pending', 'posting')`, [id, state, error.code, error.message, now]);
    },
    advanceWanted(id, status: HighLevelMessageStatus, error, now) {
      // Read-then-write like SQLite's, under SELECT … FOR UPDATE: two status callbacks for one text (on two instances)
      // take turns on the row, and the second judges its status against the first one's (isLaterStatus: forward only).
      return transaction(db, async (client) => {
        const row = await one<{ wantedStatus: HighLevelMessageStatus }>(client,
          'SELECT wanted_status AS "wantedStatus" FROM conversation_messages WHERE id = $1 FOR UPDATE', [id]);
        if (!row || !isLaterStatus(status, row.wantedStatus)) return false;
        await client.query(`
          UPDATE conversation_messages SET wanted_status = $2, error_code = COALESCE($3, error_code),
            error_message = COALESCE($4, error_message), updated_at = $5 WHERE id = $1`,
        [id, status, error?.code ?? null, error?.message ?? null, now]);
        return true;
      });
    },
    async markPushed(id, status, now) {
      await db.query('UPDATE conversation_messages SET pushed_status = $2, push_error = NULL, updated_at = $3 WHERE id = $1', [id, status, now]);
    },
    async notePushError(id, message, now) {
      await db.query('UPDATE conversation_messages SET push_error = $2, updated_at = $3 WHERE id = $1', [id, message, now]);
    },
    twilioOutcome: (sid) => one<SendOutcome>(db, `
      SELECT ${OUTCOME} FROM messages WHERE provider = 'twilio' AND provider_message_id = $1 ORDER BY id DESC LIMIT 1`, [sid]),
    async replyHandled(locationId, replyKey) {
      const row = await one<{ answer: string }>(db, 'SELECT answer FROM replies WHERE location_id = $1 AND reply_key = $2', [locationId, replyKey]);
      return row !== null && row.answer !== 'pending';
    },
    sendOutcome: (sendKey) => one<SendOutcome>(db, `SELECT ${OUTCOME} FROM messages WHERE send_key = $1`, [sendKey]),
  };
}
