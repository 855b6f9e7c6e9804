// Turns activity items from the API into one plain-language line each ("Missed call from … · texted back 11:02 · …").
// @ts-check
import { dayKey, formatPhone, formatTime, humanize } from './format.js';

/**
 * @typedef {import('./api-types.js').ActivityItem} ActivityItem
 * @typedef {import('./api-types.js').CallItem} CallItem
 * @typedef {{ label: string, tone: string }} Status
 * @typedef {{ kind: 'call' | 'reply' | 'optout', tone: string, title: [string, string, string], details: string[],
 *   status: Status | null }} ActivityLine
 * @typedef {string | null | undefined} TimeZone
 */

/** @type {Record<string, string>} */
const NOT_TEXTED = {
  suppressed: 'not texted: they opted out',
  cooldown: 'not texted: already texted recently',
  disabled: 'not texted: TextBack was off',
  'answered-call-back': 'not texted: you called them back',
  dnd: 'not texted: Do Not Disturb is on for this contact',
  'own-number': "not texted: it's one of your own numbers",
  'another-location-number': 'not texted: the number belongs to another business',
  'no-phone': 'not texted: no phone number on the call',
  'not-installed': 'not texted: TextBack was not installed',
  'business-unidentified': 'not texted: HighLevel gives neither a name nor a phone number for your business',
};

/** @type {Record<string, string>} */
const FOLLOW_UP_CANCELLED = {
  replied: 'follow-up cancelled: they replied',
  'answered-call-back': 'follow-up cancelled: you called them back',
  suppressed: 'follow-up cancelled: they opted out',
  uninstalled: 'follow-up cancelled: TextBack was removed',
  'follow-up-disabled': 'follow-up off',
  dnd: 'follow-up cancelled: Do Not Disturb is on',
};

/** @type {Record<string, Status>} */
const DELIVERY = {
  delivered: { label: 'Delivered', tone: 'good' },
  sent: { label: 'Sent', tone: 'neutral' },
  queued: { label: 'Sent', tone: 'neutral' },
  accepted: { label: 'Sent', tone: 'neutral' },
  sending: { label: 'Sending', tone: 'neutral' },
  undelivered: { label: 'Not delivered', tone: 'bad' },
  failed: { label: 'Failed', tone: 'bad' },
  unknown: { label: 'Unconfirmed', tone: 'warn' },
};

/**
 * "skipped:cooldown" → ["skipped", "cooldown"]; no colon → [code, ""].
 * @param {unknown} code
 */
function split(code) {
  const text = String(code ?? '');
  const at = text.indexOf(':');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

const WAIT_NOTE_MS = 30 * 60_000;

/**
 * "9:10 AM", or "Sat 9:10 AM" when it fell on another day than `since`.
 * @param {number} at
 * @param {number} since
 * @param {TimeZone} tz
 */
function timeSince(at, since, tz) {
  if (dayKey(at, tz) === dayKey(since, tz)) return formatTime(at, tz);
  const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: tz || undefined }).format(new Date(at));
  return `${weekday} ${formatTime(at, tz)}`;
}

/**
 * @param {string} iso
 * @param {number} since
 * @param {TimeZone} tz
 */
function whenLater(iso, since, tz) {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : ` (${timeSince(at, since, tz)})`;
}

/**
 * Provider error codes a business can act on, in words.
 * @type {Record<string, string>}
 */
const ERRORS = {
  21211: 'not a valid number', 21610: 'they blocked texts from you at their carrier', 21614: 'a landline, it can’t get texts',
  30003: 'phone unreachable', 30005: 'unknown number', 30006: 'a landline, it can’t get texts', 30007: 'blocked by the carrier as spam',
  30034: 'your sending number isn’t registered for texting (A2P 10DLC)',
};
/** @param {unknown} code */
export function describeError(code) {
  const text = String(code ?? '');
  const number = /\d{5}/.exec(text)?.[0];
  if (number && ERRORS[number]) return ERRORS[number];
  return humanize(text.replace(/^http_(\d+)$/, 'HighLevel answered $1'));
}

/**
 * @param {CallItem} item
 * @param {TimeZone} tz
 */
function describeTextBack(item, tz) {
  const [kind, reason] = split(item.decision);
  const sentAt = item.textBack?.at;
  if (sentAt && item.textBack && (kind === 'texted' || ['sent', 'delivered', 'queued', 'accepted', 'sending', 'undelivered'].includes(item.textBack.status))) {
    const waited = sentAt - item.at >= WAIT_NOTE_MS ? ' (waited for texting hours)' : '';
    return `texted back ${timeSince(sentAt, item.at, tz)}${waited}`;
  }
  if (kind === 'texted') return 'texted back';
  if (kind === 'pending') return 'text-back on its way';
  if (kind === 'deferred') return `text-back waits for texting hours${whenLater(reason, item.at, tz)}`;
  if (kind === 'skipped') return NOT_TEXTED[reason] ?? (reason.startsWith('not-textable') ? "not texted: the number can't receive texts" : `not texted: ${humanize(reason)}`);
  if (kind === 'failed') return `text-back failed${reason ? `: ${describeError(reason)}` : ''}`;
  if (kind === 'unknown') return 'text-back may not have gone out (interrupted)';
  if (kind === 'ignored') return 'no text needed';
  return humanize(item.decision);
}

/**
 * @param {CallItem['followUp']} followUp
 * @param {number} calledAt
 * @param {TimeZone} tz
 * @param {() => string | null | undefined} [replyAfter] the meaning of a reply after the call, if the feed shows one
 */
function describeFollowUp(followUp, calledAt, tz, replyAfter) {
  if (!followUp) return null;
  let [kind, reason] = split(followUp.state);
  // A bare "cancelled" carries no reason: a reply seen in the feed after the call is the usual one.
  if (kind === 'cancelled' && !reason) {
    const meaning = replyAfter?.() ?? null;
    if (meaning) reason = /out/i.test(meaning) ? 'suppressed' : 'replied';
  }
  if (kind === 'pending') return 'follow-up scheduled';
  if (kind === 'deferred') return `follow-up waits for texting hours${whenLater(reason, calledAt, tz)}`;
  if (kind === 'sent') return followUp.at ? `followed up ${timeSince(followUp.at, calledAt, tz)}` : 'followed up';
  if (kind === 'cancelled' || kind === 'skipped') return FOLLOW_UP_CANCELLED[reason] ?? (reason ? `follow-up cancelled: ${humanize(reason)}` : 'follow-up cancelled');
  if (kind === 'failed') return 'follow-up failed';
  return `follow-up ${humanize(followUp.state)}`;
}

/** @param {unknown} meaning */
function describeReply(meaning) {
  const text = String(meaning ?? '').toLowerCase();
  if (text.includes('out') || text === 'stop') return { title: 'opted out by text', tone: 'warn' };
  if (text.includes('help')) return { title: 'asked for help (HELP)', tone: 'neutral' };
  if (text.includes('in') && !text.includes('info')) return { title: 'opted back in', tone: 'good' };
  return { title: 'replied', tone: 'good' };
}

/** @type {Record<string, string>} */
const SOURCES = { keyword: 'texted STOP', manual: 'added by your team', staff: 'added by your team', provider: 'blocked by the carrier', dnd: 'Do Not Disturb in HighLevel' };

/**
 * `{ kind, tone, title: [before, phone, after], details[], status }` for one item; every string is plain text for
 * textContent (the phone is apart so it never breaks across lines).
 * @param {ActivityItem} item
 * @param {TimeZone} tz
 * @param {{ replyAfter?: (phone: string, at: number) => string | null }} [options]
 * @returns {ActivityLine}
 */
export function describeActivity(item, tz, { replyAfter } = {}) {
  const phone = item.phone ? formatPhone(item.phone) : 'an unknown number';
  if (item.type === 'reply') {
    const reply = describeReply(item.meaning);
    return { kind: 'reply', tone: reply.tone, title: ['', phone, ` ${reply.title}`], details: [], status: null };
  }
  if (item.type === 'suppression') {
    const lifted = item.action === 'lift';
    const details = [];
    if (!lifted && item.source) details.push(SOURCES[item.source] ?? humanize(item.source));
    if (item.reason) details.push(`reason: ${item.reason}`);
    return { kind: 'optout', tone: lifted ? 'good' : 'warn', title: ['', phone, lifted ? ' removed from the opt-out list' : ' added to the opt-out list'], details, status: null };
  }
  const details = [describeTextBack(item, tz)];
  const followUp = describeFollowUp(item.followUp, item.at, tz, () => (item.phone ? replyAfter?.(item.phone, item.at) : null));
  if (followUp) details.push(followUp);
  const error = item.textBack?.error;
  if (error && !String(item.decision).endsWith(`:${error}`)) details.push(`error: ${describeError(error)}`);
  const status = item.textBack ? DELIVERY[item.textBack.status] ?? { label: humanize(item.textBack.status), tone: 'neutral' } : null;
  const [kind] = split(item.decision);
  const tone = status?.tone === 'bad' || kind === 'failed' ? 'bad' : kind === 'skipped' || kind === 'unknown' ? 'muted' : 'good';
  return { kind: 'call', tone, title: ['Missed call from ', phone, ''], details, status };
}
