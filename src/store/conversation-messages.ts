// Twilio texts as HighLevel conversation messages (conversation_messages): the intent row written before HighLevel's
// add-message call, what that call came to, and the delivery status owed to HighLevel and the one it accepted.
import type { Db } from './db.js';
import { isLaterStatus, type HighLevelMessageStatus } from '../workflow/message-status.js';

export type ConversationOrigin = 'app' | 'caller' | 'staff';
export type PostState = 'pending' | 'posting' | 'posted' | 'unknown' | 'failed';

export interface ConversationMessage {
  id: number;
  locationId: string;
  messageKey: string;
  origin: ConversationOrigin;
  twilioSid: string | null;
  contactId: string | null;
  conversationId: string | null;
  hlMessageId: string | null;
  state: PostState;
  wantedStatus: HighLevelMessageStatus;
  pushedStatus: HighLevelMessageStatus | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface NewConversationMessage {
  locationId: string;
  messageKey: string;
  origin: ConversationOrigin;
  twilioSid?: string | null;
  contactId?: string | null;
  /** Staff messages exist in HighLevel already: they start posted, with HighLevel's id. */
  hlMessageId?: string | null;
  state?: 'pending' | 'posted';
}

/** A text's row in the send ledger, as far as HighLevel's status needs it. */
export interface SendOutcome { sid: string | null; status: string; errorCode: string | null; errorMessage: string | null }

const COLUMNS = `id, location_id AS locationId, message_key AS messageKey, origin, twilio_sid AS twilioSid, contact_id AS contactId,
  conversation_id AS conversationId, hl_message_id AS hlMessageId, state, wanted_status AS wantedStatus,
  pushed_status AS pushedStatus, error_code AS errorCode, error_message AS errorMessage`;

export type ConversationMessages = ReturnType<typeof createConversationMessages>;

export function createConversationMessages(db: Db) {
  const insert = db.prepare(`
    INSERT INTO conversation_messages (location_id, message_key, origin, twilio_sid, contact_id, hl_message_id, state, created_at, updated_at)
    VALUES (@locationId, @messageKey, @origin, @twilioSid, @contactId, @hlMessageId, @state, @now, @now)
    ON CONFLICT (message_key) DO NOTHING`);
  const byKey = db.prepare(`SELECT ${COLUMNS} FROM conversation_messages WHERE message_key = ?`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM conversation_messages WHERE id = ?`);
  const bySid = db.prepare(`SELECT ${COLUMNS} FROM conversation_messages WHERE twilio_sid = ? ORDER BY id DESC LIMIT 1`);
  const setState = db.prepare(`UPDATE conversation_messages SET state = @to, updated_at = @now WHERE id = @id AND state = @from`);
  const posted = db.prepare(`
    UPDATE conversation_messages SET state = 'posted', hl_message_id = @hlMessageId, conversation_id = @conversationId,
      contact_id = @contactId, updated_at = @now
    WHERE id = @id AND state = 'posting'`);
  const settle = db.prepare(`
    UPDATE conversation_messages SET state = @state, error_code = @code, error_message = @message, updated_at = @now
    WHERE id = @id AND state IN ('pending', 'posting')`);
  const wanted = db.prepare(`
    UPDATE conversation_messages SET wanted_status = @status, error_code = COALESCE(@code, error_code),
      error_message = COALESCE(@message, error_message), updated_at = @now WHERE id = @id`);
  const pushed = db.prepare(`UPDATE conversation_messages SET pushed_status = @status, push_error = NULL, updated_at = @now WHERE id = @id`);
  const pushError = db.prepare(`UPDATE conversation_messages SET push_error = @message, updated_at = @now WHERE id = @id`);
  const twilioOutcome = db.prepare(`
    SELECT provider_message_id AS sid, status, error_code AS errorCode, error_message AS errorMessage FROM messages
    WHERE provider = 'twilio' AND provider_message_id = ? ORDER BY id DESC LIMIT 1`);
  const replyAnswer = db.prepare(`SELECT answer FROM replies WHERE location_id = ? AND reply_key = ?`).pluck();
  const sendOutcome = db.prepare(`
    SELECT provider_message_id AS sid, status, error_code AS errorCode, error_message AS errorMessage FROM messages WHERE send_key = ?`);

  const get = (id: number) => (byId.get(id) as ConversationMessage | undefined) ?? null;

  return {
    /** The row for this key, written now if there is none (a retried job finds the one its first run wrote). */
    open(input: NewConversationMessage, now: number): ConversationMessage {
      insert.run({ twilioSid: null, contactId: null, hlMessageId: null, state: 'pending', ...input, now });
      return byKey.get(input.messageKey) as ConversationMessage;
    },
    get,
    findBySid: (sid: string) => (bySid.get(sid) as ConversationMessage | undefined) ?? null,
    /** pending → posting, just before the call; false when another run got there first. */
    claimPosting: (id: number, now: number): boolean => setState.run({ id, from: 'pending', to: 'posting', now }).changes === 1,
    /** posting → pending: HighLevel certainly did not act (429, connection refused), so the call may be made again. */
    release(id: number, now: number): void {
      setState.run({ id, from: 'posting', to: 'pending', now });
    },
    markPosted(id: number, input: { hlMessageId: string; conversationId: string; contactId: string }, now: number): void {
      posted.run({ id, ...input, now });
    },
    /** 'unknown': HighLevel may have added it (answer lost); 'failed': it certainly did not and will not. */
    settle(id: number, state: 'unknown' | 'failed', error: { code: string | null; message: string }, now: number): void {
      settle.run({ id, state, code: error.code, message: error.message, now });
    },
    /** Moves the status owed to HighLevel forward only; true when it moved. */
    advanceWanted(id: number, status: HighLevelMessageStatus, error: { code: string | null; message: string | null } | null, now: number): boolean {
      const row = get(id);
      if (!row || !isLaterStatus(status, row.wantedStatus)) return false;
      wanted.run({ id, status, code: error?.code ?? null, message: error?.message ?? null, now });
      return true;
    },
    markPushed(id: number, status: HighLevelMessageStatus, now: number): void {
      pushed.run({ id, status, now });
    },
    notePushError(id: number, message: string, now: number): void {
      pushError.run({ id, message, now });
    },
    /** The send ledger's view of a Twilio text: its status and Twilio's error, if any. */
    twilioOutcome: (sid: string) => (twilioOutcome.get(sid) as SendOutcome | undefined) ?? null,
    /** Whether the reply rules have run on a caller's text (its opt-out, HELP or opt-in is in effect): recorded, no longer pending. */
    replyHandled(locationId: string, replyKey: string): boolean {
      const answer = replyAnswer.get(locationId, replyKey) as string | undefined;
      return answer !== undefined && answer !== 'pending';
    },
    /** The same, by the ledger's send key (a staff message's SID is learnt here). */
    sendOutcome: (sendKey: string) => (sendOutcome.get(sendKey) as SendOutcome | undefined) ?? null,
  };
}
