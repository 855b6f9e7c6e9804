// The call-status vocabulary: one spelling per status, and which statuses are final (the call is over).
// HighLevel documents `pending, completed, answered, busy, no-answer, failed, canceled, voicemail`; live deliveries
// and the catch-up scan also show a call while it rings or runs. Only a final status says whether it was missed.

/** Statuses of a call that is not over yet; a later sighting of the same call carries its final status. */
export const NON_FINAL_CALL_STATUSES: readonly string[] = ['pending', 'queued', 'initiated', 'ringing', 'in-progress', 'unknown'];

/** Spellings seen for the same status ("in progress", "In_Progress", "cancelled") folded into one. */
export function normalizeCallStatus(raw: string | null | undefined): string {
  const status = (raw ?? '').trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (!status) return 'unknown';
  if (status === 'cancelled') return 'canceled';
  if (status === 'noanswer') return 'no-answer';
  return status;
}

/** True once the call is over: its status then says whether somebody answered. Unknown words count as final. */
export function isFinalCallStatus(status: string): boolean {
  return !NON_FINAL_CALL_STATUSES.includes(status);
}

const ANSWERED = new Set(['completed', 'answered']);
/** Somebody picked up ("in-progress" is not that: the call may still end unanswered, e.g. in voicemail). */
export function isAnsweredCallStatus(status: string): boolean {
  return ANSWERED.has(status);
}
