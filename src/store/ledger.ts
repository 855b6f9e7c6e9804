// The send ledger on the messages table: one row per intended text, reserved before the provider is called.
import type { Db } from './db.js';
import type { SendConsequences, SendLedger } from '../workflow/ports/storage.js';
import type { SqliteJobQueue } from './job-queue.js';
import { createCallLog } from './calls.js';
import { ENTRY_COLUMNS, toEntry, type EntryRow } from './rows/ledger.js';

/**
 * `queue`: where the jobs a send starts are stored, in markSent's transaction (its enqueue is synchronous on SQLite);
 * without it, a markSent that brings jobs throws.
 */
export function createSendLedger(db: Db, queue?: Pick<SqliteJobQueue, 'enqueue'>): SendLedger & { markInterruptedUnknown(now: number): number } {
  // The call's decision, through the call log's own statement (synchronous on SQLite, so inside the transaction).
  const calls = createCallLog(db);
  const bySendKey = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM messages WHERE send_key = ?`);
  const suppressed = db.prepare('SELECT 1 FROM suppressions WHERE location_id = ? AND phone = ?').pluck();
  const insert = db.prepare(`
    INSERT INTO messages (location_id, send_key, kind, call_id, contact_id, phone, body, status, provider, segments, created_at, updated_at)
    VALUES (@locationId, @sendKey, @kind, @callId, @contactId, @phone, @body, 'sending', @provider, @segments, @now, @now)`);
  const sent = db.prepare(`UPDATE messages SET status = @status, provider = @provider, provider_message_id = @providerMessageId, sent_at = @now, updated_at = @now WHERE id = @id`);
  const failed = db.prepare(`UPDATE messages SET status = 'failed', error_code = @code, error_message = @message, updated_at = @now WHERE id = @id`);
  const unknown = db.prepare(`UPDATE messages SET status = 'unknown', error_message = @message, updated_at = @now WHERE id = @id AND status = 'sending'`);
  const release = db.prepare(`DELETE FROM messages WHERE id = ? AND status = 'sending'`);
  const lastTexted = db.prepare(`
    SELECT MAX(created_at) FROM messages WHERE location_id = ? AND phone = ? AND kind IN ('textback', 'followup') AND status <> 'failed'`).pluck();
  const anyTexted = db.prepare(`SELECT 1 FROM messages WHERE location_id = ? AND phone = ? AND status NOT IN ('failed') LIMIT 1`).pluck();
  const lastOfKind = db.prepare(`SELECT MAX(created_at) FROM messages WHERE location_id = ? AND phone = ? AND kind = ? AND status <> 'failed'`).pluck();
  const interrupted = db.prepare(`UPDATE messages SET status = 'unknown', error_message = 'interrupted between reserve and send; never resent', updated_at = ? WHERE status = 'sending'`);

  // Suppression check and insert in one transaction: an opt-out can never slip between them.
  const reserve = db.transaction((input: Parameters<SendLedger['reserve']>[0], now: number) => {
    const existing = bySendKey.get(input.sendKey) as EntryRow | undefined;
    if (existing) return { outcome: 'exists' as const, entry: toEntry(existing) };
    if (input.checkSuppression && suppressed.get(input.locationId, input.phone)) return { outcome: 'suppressed' as const };
    const id = Number(insert.run({ ...input, now }).lastInsertRowid);
    return { outcome: 'reserved' as const, entry: { id, sendKey: input.sendKey, kind: input.kind, status: 'sending' as const, phone: input.phone, createdAt: now, sentAt: null } };
  });

  const sentAndFollowing = db.transaction((id: number, receipt: Parameters<SendLedger['markSent']>[1], now: number, follows: SendConsequences) => {
    markSent(id, receipt, now);
    if (follows.jobs?.length) {
      if (!queue) throw new Error('this send ledger has no job queue to store the jobs a send starts');
      for (const job of follows.jobs) queue.enqueue(job, now);
    }
    const decision = follows.decision;
    if (decision) calls.decide(decision.callId, decision.decision, now, decision.followUp);
  });
  function markSent(id: number, receipt: Parameters<SendLedger['markSent']>[1], now: number): void {
    sent.run({ id, status: receipt.status === 'delivered' ? 'delivered' : 'sent', provider: receipt.provider, providerMessageId: receipt.providerMessageId, now });
  }

  return {
    reserve: (input, now) => reserve.immediate(input, now),
    findByKey(sendKey) {
      const row = bySendKey.get(sendKey) as EntryRow | undefined;
      return row ? toEntry(row) : null;
    },
    markSent(id, receipt, now, follows) {
      if (follows && (follows.jobs?.length || follows.decision)) sentAndFollowing(id, receipt, now, follows);
      else markSent(id, receipt, now);
    },
    markFailed(id, code, message, now) {
      failed.run({ id, code, message, now });
    },
    markUnknown(id, message, now) {
      unknown.run({ id, message, now });
    },
    release(id) {
      release.run(id);
    },
    lastTextedAt: (locationId, phone) => (lastTexted.get(locationId, phone) as number | null) ?? null,
    hasTexted: (locationId, phone) => anyTexted.get(locationId, phone) === 1,
    lastSentOfKind: (locationId, phone, kind) => (lastOfKind.get(locationId, phone, kind) as number | null) ?? null,
    /** At start-up: reservations a dead process left behind may have been sent; they are marked, never resent. */
    markInterruptedUnknown: (now) => interrupted.run(now).changes,
  };
}
