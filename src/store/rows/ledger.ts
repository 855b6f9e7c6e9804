// A send ledger entry as the messages table holds it, and as the workflow sees it: shared by both engines' ledgers and
// caller-facts readers.
import type { LedgerEntry, LedgerStatus } from '../../workflow/ports/storage.js';
import type { MessageKind } from '../../workflow/ports/services.js';

export interface EntryRow { id: number; send_key: string; kind: MessageKind; status: LedgerStatus; phone: string; created_at: number; sent_at: number | null }

/** The columns of an EntryRow, in a SELECT list. */
export const ENTRY_COLUMNS = 'id, send_key, kind, status, phone, created_at, sent_at';

export const toEntry = (row: EntryRow): LedgerEntry => ({
  id: row.id, sendKey: row.send_key, kind: row.kind, status: row.status, phone: row.phone, createdAt: row.created_at, sentAt: row.sent_at,
});
