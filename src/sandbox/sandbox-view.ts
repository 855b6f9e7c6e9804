// The sandbox page's model: each caller's phone (their calls and texts, the texts they received) with what the app
// decided, in words a newcomer understands. Pure functions over the caller log, the stand-in and the observer.
import type { CallerEntry } from './caller-actions.js';
import type { CallOutcome } from './observe.js';

export type Tone = 'ok' | 'info' | 'warn' | 'muted' | 'bad';
export interface Note { text: string; tone: Tone }

export type TimelineItem =
  | { type: 'call'; at: number; time: string; status: string; label: string; outcome: Note; followUp: Note | null }
  | { type: 'text-in'; at: number; time: string; body: string; meaning: Note | null }
  | { type: 'text-out'; at: number; time: string; body: string; status: string };

export interface CallerView {
  phone: string;
  display: string;
  optedOut: boolean;
  items: TimelineItem[];
}

export interface OutboundText { phone: string; at: number; body: string; status: string }

export interface ViewSources {
  timeZone: string;
  callers: { phone: string; entries: CallerEntry[] }[];
  outbound: OutboundText[];
  call(callKey: string): CallOutcome | null;
  cancellationReason(callKey: string): 'opted-out' | 'replied' | 'answered-call-back' | null;
  replyMeaning(replyKey: string): string | null;
  isSuppressed(phone: string): boolean;
}

/** "(212) 555-0142" for North American numbers, the E.164 form otherwise. */
export function formatPhone(e164: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : e164;
}

/** "Tue 11:00 AM" in the business's zone; with `withDate`, "Tue, Jan 6, 11:00 AM". */
export function createTimeFormatter(timeZone: string, withDate = false): (at: number) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone, weekday: 'short', hour: 'numeric', minute: '2-digit', ...(withDate ? { month: 'short', day: 'numeric' } : {}),
  });
  return (at) => format.format(at);
}

const CALL_LABELS: Record<string, string> = {
  voicemail: 'Missed call · voicemail',
  'no-answer': 'Missed call · no answer',
  busy: 'Missed call · line busy',
  canceled: 'Missed call · hung up',
  failed: 'Missed call · failed',
  completed: 'Answered call',
};

const SKIP_REASONS: Record<string, string> = {
  suppressed: 'this number opted out (STOP)',
  cooldown: 'already texted in the last 24 hours (cooldown)',
  disabled: 'TextBack is turned off for this sub-account',
  dnd: 'the contact is on SMS Do Not Disturb',
  'own-number': "it is the business's own number",
  'another-location-number': "it is another sub-account's number",
  'answered-call-back': 'they called back and were answered',
  'not-installed': 'TextBack is not installed',
};

function skipReason(reason: string): string {
  if (reason.startsWith('not-textable')) return 'this number cannot receive texts';
  return SKIP_REASONS[reason] ?? reason;
}

/** What the app decided about a call's text-back. */
export function describeDecision(decision: string | null, time: (at: number) => string): Note {
  if (decision === null || decision === 'pending') return { text: 'TextBack is on it…', tone: 'info' };
  if (decision === 'texted') return { text: 'Texted back', tone: 'ok' };
  if (decision === 'ignored:answered') return { text: 'Answered, so TextBack stays quiet', tone: 'muted' };
  if (decision === 'ignored:outbound') return { text: 'Outgoing call: ignored', tone: 'muted' };
  const [head, ...rest] = decision.split(':');
  const detail = rest.join(':');
  if (head === 'deferred') return { text: `Quiet hours: the text-back waits until ${time(Date.parse(detail))}`, tone: 'warn' };
  if (head === 'skipped') return { text: `Not texted: ${skipReason(detail)}`, tone: 'muted' };
  if (head === 'ignored') return { text: `Not a missed call (${detail.replace(/^status-/, '')}): ignored`, tone: 'muted' };
  if (head === 'failed') return { text: `Sending failed (${detail})`, tone: 'bad' };
  if (head === 'unknown') return { text: 'Sending outcome unknown: it will not be resent', tone: 'bad' };
  return { text: decision, tone: 'info' };
}

const CANCELLED_BECAUSE: Record<string, string> = {
  'opted-out': 'the caller opted out',
  replied: 'the caller replied',
  'answered-call-back': 'they called back and were answered',
  suppressed: 'the caller opted out',
  disabled: 'TextBack was turned off',
  'follow-up-disabled': 'follow-ups were turned off',
  dnd: 'the contact is on SMS Do Not Disturb',
  uninstalled: 'TextBack was uninstalled',
};

/** The follow-up's state; null when the call never got one (not texted, or follow-ups off). */
export function describeFollowUp(
  outcome: CallOutcome | null, reason: string | null, time: (at: number) => string,
): Note | null {
  if (!outcome?.followUp) return null;
  const [head, ...rest] = outcome.followUp.split(':');
  const detail = rest.join(':');
  const job = outcome.followUpJob;
  if (head === 'pending') {
    if (job?.status === 'cancelled') return { text: `Follow-up cancelled: ${CANCELLED_BECAUSE[reason ?? ''] ?? 'no longer needed'}`, tone: 'muted' };
    if (job?.status === 'pending') return { text: `Follow-up due ${time(job.runAt)}`, tone: 'info' };
    return { text: 'Follow-up sending…', tone: 'info' };
  }
  if (head === 'deferred') return { text: `Follow-up held by the caller's quiet hours until ${time(Date.parse(detail))}`, tone: 'warn' };
  if (head === 'sent') return { text: 'Follow-up sent', tone: 'ok' };
  if (head === 'cancelled') return { text: `Follow-up cancelled: ${CANCELLED_BECAUSE[detail] ?? detail}`, tone: 'muted' };
  if (head === 'skipped') return { text: `Follow-up skipped: ${skipReason(detail)}`, tone: 'muted' };
  return { text: `Follow-up ${head} (${detail})`, tone: 'bad' };
}

const MEANINGS: Record<string, Note> = {
  'opt-out': { text: 'Opt-out: this number gets no more texts', tone: 'warn' },
  help: { text: 'HELP: answered with contact info', tone: 'info' },
  'opt-in': { text: 'Opt-in: texts allowed again', tone: 'ok' },
  reply: { text: 'Reply: the conversation is yours now', tone: 'info' },
};

export function describeReply(meaning: string | null): Note | null {
  if (meaning === null) return null;
  return MEANINGS[meaning] ?? { text: meaning, tone: 'info' };
}

export function buildCallerViews(sources: ViewSources): CallerView[] {
  const time = createTimeFormatter(sources.timeZone);
  const phones = sources.callers.map((caller) => caller.phone);
  for (const text of sources.outbound) if (!phones.includes(text.phone)) phones.push(text.phone);
  return phones.map((phone) => {
    const entries = sources.callers.find((caller) => caller.phone === phone)?.entries ?? [];
    const items: TimelineItem[] = entries.map((entry): TimelineItem => {
      if (entry.kind === 'text') {
        return { type: 'text-in', at: entry.at, time: time(entry.at), body: entry.body, meaning: describeReply(sources.replyMeaning(entry.replyKey)) };
      }
      const outcome = sources.call(entry.callKey);
      return {
        type: 'call', at: entry.at, time: time(entry.at), status: entry.status, label: CALL_LABELS[entry.status] ?? entry.status,
        outcome: describeDecision(outcome?.decision ?? null, time),
        followUp: describeFollowUp(outcome, outcome ? sources.cancellationReason(entry.callKey) : null, time),
      };
    });
    for (const text of sources.outbound) {
      if (text.phone === phone) items.push({ type: 'text-out', at: text.at, time: time(text.at), body: text.body, status: text.status });
    }
    // Stable: at equal times the caller's own action (listed first) stays before the app's answer.
    items.sort((a, b) => a.at - b.at);
    return { phone, display: formatPhone(phone), optedOut: sources.isSuppressed(phone), items };
  });
}
