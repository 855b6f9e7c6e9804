// Business hours (which template, in the location's zone) and recipient quiet hours (may a text go out now, and when next).
import { DAY, MINUTE } from '../lib/clock.js';
import { nanpAreaCode } from '../lib/phone.js';
import { lookupAreaCode } from './area-codes.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours per weekday ('HH:MM', open < close) and holidays ('YYYY-MM-DD' in the location's zone). */
export type BusinessHours = {
  days: Record<Weekday, { open: string; close: string } | null>;
  holidays: string[];
};

/** Minutes after local midnight; the window is [openMinute, closeMinute). */
export type DayWindow = { openMinute: number; closeMinute: number };
export type WeeklyWindow = Record<Weekday, DayWindow | null>;
/** When texts may reach a recipient, in one of the zones their number may be in. */
export type Window = { timeZone: string; regions: string[]; days: WeeklyWindow };

const h = (hours: number) => hours * 60;
function weekly(monToSat: [number, number], sunday: [number, number]): WeeklyWindow {
  const day = ([openMinute, closeMinute]: [number, number]): DayWindow => ({ openMinute, closeMinute });
  return {
    sun: day(sunday), mon: day(monToSat), tue: day(monToSat), wed: day(monToSat),
    thu: day(monToSat), fri: day(monToSat), sat: day(monToSat),
  };
}

const FEDERAL = weekly([h(8), h(21)], [h(8), h(21)]);
const DEFAULT = weekly([h(9), h(20)], [h(12), h(20)]);
// State rules stricter than the federal one (COMPLIANCE.md); each is intersected with the default window.
const STATE_RULES: Record<string, WeeklyWindow> = {
  FL: weekly([h(8), h(20)], [h(8), h(20)]),
  OK: weekly([h(8), h(20)], [h(8), h(20)]),
  MD: weekly([h(8), h(20)], [h(8), h(20)]),
  CT: weekly([h(9), h(20)], [h(9), h(20)]),
  TX: weekly([h(9), h(21)], [h(12), h(21)]),
};

function intersect(a: WeeklyWindow, b: WeeklyWindow): WeeklyWindow {
  const out = {} as WeeklyWindow;
  for (const day of WEEKDAYS) {
    const x = a[day];
    const y = b[day];
    const openMinute = Math.max(x?.openMinute ?? 0, y?.openMinute ?? 0);
    const closeMinute = Math.min(x?.closeMinute ?? 0, y?.closeMinute ?? 0);
    out[day] = x && y && openMinute < closeMinute ? { openMinute, closeMinute } : null;
  }
  return out;
}

// ---- wall-clock time through Intl (zone rules and DST come from ICU, never from hand-written offsets) ----
export type WallClock = { year: number; month: number; day: number; minuteOfDay: number; weekday: Weekday };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// formatToParts is costly and a send looks at the same few minutes many times: remember recent answers per minute
// (zone offsets are whole minutes, so every instant of a minute shows the same wall clock).
const wallClocks = new Map<string, WallClock>();

/** Date, weekday and minute of day that a clock in `timeZone` shows at `at`. */
export function readWallClock(at: number, timeZone: string): WallClock {
  const key = `${Math.floor(at / MINUTE)}|${timeZone}`;
  const known = wallClocks.get(key);
  if (known) return { ...known };
  const wall = computeWallClock(at, timeZone);
  if (wallClocks.size >= 20_000) wallClocks.clear();
  wallClocks.set(key, wall);
  return { ...wall };
}

function computeWallClock(at: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const weekday = WEEKDAYS[new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay()];
  return { year: parts.year, month: parts.month, day: parts.day, minuteOfDay: (parts.hour % 24) * 60 + parts.minute, weekday };
}

/** Local wall time expressed as if it were UTC, at minute precision. */
function localKey(at: number, timeZone: string): number {
  const w = readWallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, 0, w.minuteOfDay);
}

function offsetAt(at: number, timeZone: string): number {
  return localKey(at, timeZone) - Math.floor(at / MINUTE) * MINUTE;
}

/**
 * The first instant whose wall clock in `timeZone` reads the given date and minute: the earlier one when a
 * fall-back repeats it, and the moment the clocks jump when a spring-forward gap skips it.
 */
export function resolveWallClock(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): number {
  const target = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const offsetBefore = offsetAt(target - 2 * DAY, timeZone);
  const offsetAfter = offsetAt(target + 2 * DAY, timeZone);
  const matches = [target - offsetBefore, target - offsetAfter].filter((t) => localKey(t, timeZone) === target);
  if (matches.length > 0) return Math.min(...matches);
  // Gap: search the minute at which the later offset takes effect.
  let low = Math.min(target - offsetBefore, target - offsetAfter);
  let high = Math.max(target - offsetBefore, target - offsetAfter);
  while (high - low > MINUTE) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (localKey(mid, timeZone) >= target) high = mid;
    else low = mid;
  }
  return high;
}

// ---- business hours ----
const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the business is open at `at` in its zone; holidays are closed all day. */
export function isWithinBusinessHours(at: number, timeZone: string, hours: BusinessHours): boolean {
  const w = readWallClock(at, timeZone);
  const date = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  if (hours.holidays.includes(date)) return false;
  const today = hours.days[w.weekday];
  return today !== null && w.minuteOfDay >= toMinute(today.open) && w.minuteOfDay < toMinute(today.close);
}

// ---- recipient quiet hours ----

/**
 * The windows a text to `e164` must fall in, one per zone its area code spans (all must be open at once).
 * Unknown area codes and numbers outside the US/Canada get the default window in the location's zone.
 */
export function recipientWindows(e164: string, locationTimeZone: string): Window[] {
  const areaCode = nanpAreaCode(e164);
  const info = areaCode ? lookupAreaCode(areaCode) : null;
  if (!info) return [{ timeZone: locationTimeZone, regions: [], days: intersect(DEFAULT, FEDERAL) }];
  const days = info.regions
    .map((region) => STATE_RULES[region])
    .filter((rule) => rule !== undefined)
    .reduce(intersect, intersect(DEFAULT, FEDERAL));
  return info.timeZones.map((timeZone) => ({ timeZone, regions: info.regions, days }));
}

function isOpenAt(windows: Window[], at: number): boolean {
  return windows.every((window) => {
    const w = readWallClock(at, window.timeZone);
    const today = window.days[w.weekday];
    return today !== null && w.minuteOfDay >= today.openMinute && w.minuteOfDay < today.closeMinute;
  });
}

export function isSendAllowed(at: number, e164: string, locationTimeZone: string): boolean {
  return isOpenAt(recipientWindows(e164, locationTimeZone), at);
}

const SEARCH_DAYS = 8;

/** The earliest instant ≥ at inside every window: either `at` itself or the opening of one of the windows. */
function nextOpenAt(windows: Window[], at: number): number | null {
  if (isOpenAt(windows, at)) return at;
  const openings: number[] = [];
  for (const window of windows) {
    const start = readWallClock(at, window.timeZone);
    for (let offset = 0; offset <= SEARCH_DAYS; offset += 1) {
      const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
      const today = window.days[WEEKDAYS[date.getUTCDay()]];
      if (!today) continue;
      const opensAt = resolveWallClock(window.timeZone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), today.openMinute);
      if (opensAt >= at) openings.push(opensAt);
    }
  }
  openings.sort((a, b) => a - b);
  return openings.find((candidate) => isOpenAt(windows, candidate)) ?? null;
}

/** `at` when a text may go out now, else the next moment every applicable zone's window is open. */
export function nextSendAllowedAt(at: number, e164: string, locationTimeZone: string): number {
  const found = nextOpenAt(recipientWindows(e164, locationTimeZone), at);
  if (found !== null) return found;
  // Only reachable if an area code's zones never overlap; the location's own window always opens within a week.
  return nextOpenAt([{ timeZone: locationTimeZone, regions: [], days: intersect(DEFAULT, FEDERAL) }], at) as number;
}
