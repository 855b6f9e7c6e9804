// Notices HighLevel's own "Missed Call Text Back" running beside the app: an SMS going out to a caller minutes after
// their missed call that the app did not send. Both texting means the caller gets two texts; the page warns.
import { MINUTE } from '../lib/clock.js';
import type { WorkflowDeps } from './deps.js';

export const NATIVE_TEXTBACK_FLAG = 'native-textback';
/** HighLevel's native text-back goes out right after the call ends. */
export const NATIVE_TEXTBACK_WINDOW_MS = 3 * MINUTE;
// HighLevel stamps calls and texts with its own clock; a text stamped a little before its call still counts.
const CLOCK_SLACK_MS = MINUTE;

export interface OutboundText {
  locationId: string;
  contactId: string | null;
  /** HighLevel's messageId (or a stand-in when the event had none). */
  messageKey: string;
  body: string;
  occurredAt: number;
}

/** Returns the outcome for the log line: the text is someone else's business unless it looks like the native text-back. */
export async function noticeOutboundText(deps: WorkflowDeps, text: OutboundText): Promise<string> {
  const flags = deps.locationFlags;
  if (!flags || !text.contactId || text.body.trim() === '') return 'ignored:outbound-sms';
  const location = await deps.installations.get(text.locationId);
  if (!location || location.status !== 'installed') return 'ignored:outbound-sms';

  const from = text.occurredAt - NATIVE_TEXTBACK_WINDOW_MS;
  if (!(await flags.hadMissedCall(text.locationId, text.contactId, from, text.occurredAt + CLOCK_SLACK_MS))) return 'ignored:outbound-sms';
  // Our own text-back comes back as an OutboundMessage too, possibly before its send is recorded: ids, then words.
  const own = await flags.isOwnText(text.locationId, { messageId: text.messageKey, contactId: text.contactId, body: text.body, since: from - CLOCK_SLACK_MS });
  if (own) return 'ignored:own-text';

  await flags.raise(text.locationId, NATIVE_TEXTBACK_FLAG, deps.clock.now());
  deps.log.warn({ locationId: text.locationId }, "HighLevel's own Missed Call Text Back seems to be on as well: callers may get two texts");
  return 'flagged:native-textback';
}
