// The delivery status a HighLevel conversation message of the app's channel owes HighLevel: its four statuses, how Twilio's
// delivery states map onto them, and the order they may follow one another in (never back).

/** What PUT /conversations/messages/{id}/status accepts. */
export type HighLevelMessageStatus = 'pending' | 'delivered' | 'failed' | 'read';

const FROM_TWILIO: Record<string, HighLevelMessageStatus> = {
  accepted: 'pending', scheduled: 'pending', queued: 'pending', sending: 'pending', sent: 'pending',
  delivered: 'delivered', read: 'read',
  undelivered: 'failed', failed: 'failed', canceled: 'failed',
};

/** Twilio's MessageStatus (any case); null for a state HighLevel has no word for (receiving, received…). */
export function fromTwilioStatus(status: string): HighLevelMessageStatus | null {
  return FROM_TWILIO[status.trim().toLowerCase()] ?? null;
}

/** The send ledger's status of a Twilio text (queued, sent, delivered, undelivered, failed, unknown…). */
export function fromLedgerStatus(status: string): HighLevelMessageStatus {
  if (status === 'delivered') return 'delivered';
  if (status === 'undelivered' || status === 'failed') return 'failed';
  return 'pending';
}

// Like the ledger's: a text never moves back, the first final status wins, and only a read receipt follows delivery.
const RANK: Record<HighLevelMessageStatus, number> = { pending: 0, delivered: 1, failed: 1, read: 2 };

/** Whether `next` moves a message on from `current` (null: HighLevel's own starting point, pending). */
export function isLaterStatus(next: HighLevelMessageStatus, current: HighLevelMessageStatus | null): boolean {
  if (current === 'failed' && next === 'read') return false;
  return RANK[next] > RANK[current ?? 'pending'];
}
