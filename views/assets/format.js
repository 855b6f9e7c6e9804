// Plain-language formatting: phone numbers, times in the location's zone, numbers and rates.
// @ts-check

/**
 * "+12125550147" → "(212) 555-0147"; other numbers are shown as stored.
 * @param {string | null | undefined} phone
 */
export function formatPhone(phone) {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(String(phone ?? ''));
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : String(phone ?? '');
}

/**
 * A formatter in `timeZone`, or in the browser's zone when it is empty or unknown to this browser.
 * @param {string | null | undefined} timeZone
 * @param {Intl.DateTimeFormatOptions} options
 */
function formatter(timeZone, options) {
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: timeZone || undefined });
  } catch {
    return new Intl.DateTimeFormat(undefined, options);
  }
}

/**
 * "11:02 AM" in the location's time zone.
 * @param {number} at
 * @param {string | null} [timeZone]
 */
export function formatTime(at, timeZone) {
  return formatter(timeZone, { hour: 'numeric', minute: '2-digit' }).format(new Date(at));
}

/**
 * The calendar date of an instant in a zone, as YYYY-MM-DD (for grouping).
 * @param {number} at
 * @param {string | null} [timeZone]
 */
export function dayKey(at, timeZone) {
  const parts = formatter(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(at));
  /** @param {Intl.DateTimeFormatPartTypes} type */
  const get = (type) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * "Today", "Yesterday" or "Mon, Jan 5", for an activity day heading.
 * @param {number} at
 * @param {string | null} [timeZone]
 * @param {number} [now]
 */
export function formatDayHeading(at, timeZone, now = Date.now()) {
  const key = dayKey(at, timeZone);
  if (key === dayKey(now, timeZone)) return 'Today';
  if (key === dayKey(now - 86_400_000, timeZone)) return 'Yesterday';
  return formatter(timeZone, { weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(at));
}

/**
 * "2026-01-05" → "Jan 5" (a calendar date, no zone shift); anything else is shown as it is.
 * @param {string} date
 * @param {Intl.DateTimeFormatOptions} [options]
 */
export function formatDate(date, options = { month: 'short', day: 'numeric' }) {
  const [year, month, day] = String(date).split('-').map(Number);
  if (!year || !month || !day) return String(date);
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
}

/** @param {unknown} value a number, or anything that is not one (shown as 0) */
export function formatNumber(value) {
  return new Intl.NumberFormat().format(Number(value) || 0);
}

/**
 * Accepts a fraction (0.42) or a percentage (42) and answers "42%".
 * @param {unknown} rate
 */
export function formatRate(rate) {
  const value = Number(rate);
  if (!Number.isFinite(value)) return '–';
  const percent = value <= 1 ? value * 100 : value;
  return `${Math.round(percent)}%`;
}

/**
 * 120 → "2 hours", 90 → "1 hour 30 minutes", 2880 → "2 days".
 * @param {number} minutes
 */
export function formatDuration(minutes) {
  const total = Math.round(Number(minutes) || 0);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  const parts = [];
  if (days) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`);
  if (mins || parts.length === 0) parts.push(`${mins} ${mins === 1 ? 'minute' : 'minutes'}`);
  return parts.join(' ');
}

/**
 * "opted-out" / "another_location" → "opted out".
 * @param {unknown} code
 */
export function humanize(code) {
  return String(code ?? '').replace(/[-_:]+/g, ' ').trim();
}
