// Turns activity items from the API into one plain-language line each ("Missed call from … · texted back 11:02 · …").
import { formatPhone, formatTime, humanize } from './format.js';

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
};

const FOLLOW_UP_CANCELLED = {
  replied: 'follow-up cancelled: they replied',
  'answered-call-back': 'follow-up cancelled: you called them back',
  suppressed: 'follow-up cancelled: they opted out',
  uninstalled: 'follow-up cancelled: TextBack was removed',
  'follow-up-disabled': 'follow-up off',
  dnd: 'follow-up cancelled: Do Not Disturb is on',
};

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

function split(code) {
  const text = String(code ?? '');
  const at = text.indexOf(':');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function whenLater(iso, tz) {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : ` (at ${formatTime(at, tz)})`;
}

function describeTextBack(item, tz) {
  const [kind, reason] = split(item.decision);
  if (item.textBack && ['sent', 'delivered', 'queued', 'accepted', 'sending', 'undelivered'].includes(item.textBack.status)) {
    return `texted back ${formatTime(item.textBack.at ?? item.at, tz)}`;
  }
  if (kind === 'texted') return `texted back${item.textBack?.at ? ` ${formatTime(item.textBack.at, tz)}` : ''}`;
  if (kind === 'pending') return 'text-back on its way';
  if (kind === 'deferred') return `text-back waits for quiet hours to end${whenLater(reason, tz)}`;
  if (kind === 'skipped') return NOT_TEXTED[reason] ?? (reason.startsWith('not-textable') ? "not texted: the number can't receive texts" : `not texted: ${humanize(reason)}`);
  if (kind === 'failed') return `text-back failed${reason ? `: ${humanize(reason)}` : ''}`;
  if (kind === 'unknown') return 'text-back may not have gone out (interrupted)';
  if (kind === 'ignored') return 'no text needed';
  return humanize(item.decision);
}

function describeFollowUp(followUp, tz) {
  if (!followUp) return null;
  const [kind, reason] = split(followUp.state);
  if (kind === 'pending') return 'follow-up scheduled';
  if (kind === 'deferred') return `follow-up waits for quiet hours to end${whenLater(reason, tz)}`;
  if (kind === 'sent') return `followed up ${formatTime(followUp.at, tz)}`;
  if (kind === 'cancelled' || kind === 'skipped') return FOLLOW_UP_CANCELLED[reason] ?? `follow-up cancelled: ${humanize(reason)}`;
  if (kind === 'failed') return 'follow-up failed';
  return `follow-up ${humanize(followUp.state)}`;
}

function describeReply(meaning) {
  const text = String(meaning ?? '').toLowerCase();
  if (text.includes('out') || text === 'stop') return { title: 'opted out by text', tone: 'warn' };
  if (text.includes('help')) return { title: 'asked for help (HELP)', tone: 'neutral' };
  if (text.includes('in') && !text.includes('info')) return { title: 'opted back in', tone: 'good' };
  return { title: 'replied', tone: 'good' };
}

const SOURCES = { keyword: 'texted STOP', manual: 'added by your team', staff: 'added by your team', provider: 'blocked by the carrier', dnd: 'Do Not Disturb in HighLevel' };

/** `{ kind, tone, title, details[], status }` for one item; every string is plain text for textContent. */
export function describeActivity(item, tz) {
  const phone = formatPhone(item.phone);
  if (item.type === 'reply') {
    const reply = describeReply(item.meaning);
    return { kind: 'reply', tone: reply.tone, title: `${phone} ${reply.title}`, details: [], status: null };
  }
  if (item.type === 'suppression') {
    const lifted = item.action === 'lift';
    const details = [];
    if (!lifted && item.source) details.push(SOURCES[item.source] ?? humanize(item.source));
    if (item.reason) details.push(`reason: ${item.reason}`);
    return { kind: 'optout', tone: lifted ? 'good' : 'warn', title: lifted ? `${phone} removed from the opt-out list` : `${phone} added to the opt-out list`, details, status: null };
  }
  const details = [describeTextBack(item, tz)];
  const followUp = describeFollowUp(item.followUp, tz);
  if (followUp) details.push(followUp);
  if (item.textBack?.error) details.push(`error: ${item.textBack.error}`);
  const status = item.textBack ? DELIVERY[item.textBack.status] ?? { label: humanize(item.textBack.status), tone: 'neutral' } : null;
  const [kind] = split(item.decision);
  const tone = status?.tone === 'bad' || kind === 'failed' ? 'bad' : kind === 'skipped' || kind === 'unknown' ? 'muted' : 'good';
  return { kind: 'call', tone, title: `Missed call from ${phone}`, details, status };
}
