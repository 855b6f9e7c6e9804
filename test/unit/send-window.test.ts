// Unit tests for src/workflow/send-window.ts: recipient quiet hours (zones, states, DST) and business hours.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DAY, HOUR, MINUTE } from '../../src/lib/clock.js';
import {
  isSendAllowed,
  isValidTimeZone,
  isWithinBusinessHours,
  nextSendAllowedAt,
  readWallClock,
  recipientWindows,
  resolveWallClock,
  type BusinessHours,
} from '../../src/workflow/send-window.js';

const utc = (iso: string) => Date.parse(`${iso}Z`);
const NYC = '+12125550134'; // America/New_York
const AUSTIN = '+15125550134'; // TX, America/Chicago
const MIAMI = '+13055550134'; // FL, America/New_York
const PANHANDLE = '+18502223333'; // FL, Central + Eastern
const LONDON = '+442079460000';

describe('recipient quiet hours: default window', () => {
  it('when it is 8:59 on a Monday for the recipient, then sending waits; at 9:00 it is allowed', () => {
    // Monday 2026-01-05, EST = UTC-5
    expect(isSendAllowed(utc('2026-01-05T13:59:00'), NYC, 'America/Chicago')).toBe(false);
    expect(isSendAllowed(utc('2026-01-05T14:00:00'), NYC, 'America/Chicago')).toBe(true);
  });

  it('when it is 19:59 the recipient may be texted; at 20:00 no longer', () => {
    expect(isSendAllowed(utc('2026-01-06T00:59:00'), NYC, 'UTC')).toBe(true);
    expect(isSendAllowed(utc('2026-01-06T01:00:00'), NYC, 'UTC')).toBe(false);
  });

  it('when it is Sunday morning, then the window opens only at 12:00', () => {
    expect(isSendAllowed(utc('2026-01-04T16:59:00'), NYC, 'UTC')).toBe(false);
    expect(isSendAllowed(utc('2026-01-04T17:00:00'), NYC, 'UTC')).toBe(true);
  });

  it('when Saturday evening is past 20:00, then the next opening is Sunday 12:00', () => {
    expect(nextSendAllowedAt(utc('2026-01-11T02:00:00'), NYC, 'UTC')).toBe(utc('2026-01-11T17:00:00'));
  });

  it('when Friday night is past 20:00, then the next opening is Saturday 9:00', () => {
    expect(nextSendAllowedAt(utc('2026-01-10T03:30:00'), NYC, 'UTC')).toBe(utc('2026-01-10T14:00:00'));
  });

  it('when sending is allowed now, then the next allowed instant is now', () => {
    const at = utc('2026-01-05T15:12:34');
    expect(nextSendAllowedAt(at, NYC, 'UTC')).toBe(at);
  });
});

describe('recipient quiet hours: DST', () => {
  it('when clocks spring forward (America/New_York, 2026-03-08), then Sunday noon is 16:00Z, not 17:00Z', () => {
    expect(nextSendAllowedAt(utc('2026-03-08T06:00:00'), NYC, 'UTC')).toBe(utc('2026-03-08T16:00:00'));
    expect(nextSendAllowedAt(utc('2026-03-08T02:00:00'), NYC, 'UTC')).toBe(utc('2026-03-08T16:00:00'));
  });

  it('when the Monday after spring-forward starts, then 9:00 EDT is 13:00Z', () => {
    expect(isSendAllowed(utc('2026-03-09T12:59:00'), NYC, 'UTC')).toBe(false);
    expect(isSendAllowed(utc('2026-03-09T13:00:00'), NYC, 'UTC')).toBe(true);
    expect(isSendAllowed(utc('2026-03-02T13:00:00'), NYC, 'UTC')).toBe(false); // 8:00 EST a week earlier
  });

  it('when clocks fall back (2026-11-01), then Sunday noon is 17:00Z and Monday 9:00 is 14:00Z', () => {
    expect(nextSendAllowedAt(utc('2026-11-01T03:00:00'), NYC, 'UTC')).toBe(utc('2026-11-01T17:00:00'));
    expect(nextSendAllowedAt(utc('2026-11-02T01:30:00'), NYC, 'UTC')).toBe(utc('2026-11-02T14:00:00'));
  });

  it('when a wall time falls in the spring-forward gap, then it resolves to the jump; a repeated one to its first occurrence', () => {
    expect(resolveWallClock('America/New_York', 2026, 3, 8, 2 * 60 + 30)).toBe(utc('2026-03-08T07:00:00'));
    expect(resolveWallClock('America/New_York', 2026, 11, 1, 60 + 30)).toBe(utc('2026-11-01T05:30:00'));
    expect(resolveWallClock('Asia/Kolkata', 2026, 1, 5, 9 * 60)).toBe(utc('2026-01-05T03:30:00'));
  });
});

describe('recipient quiet hours: split area codes and state rules', () => {
  it('when an area code spans Central and Eastern (850), then both windows apply', () => {
    const windows = recipientWindows(PANHANDLE, 'America/Los_Angeles');
    expect(windows.map((w) => w.timeZone).sort()).toEqual(['America/Chicago', 'America/New_York']);
    // Monday 9:00 Eastern is 8:00 Central: still closed in the panhandle's Central part.
    expect(isSendAllowed(utc('2026-01-05T14:00:00'), PANHANDLE, 'UTC')).toBe(false);
    expect(nextSendAllowedAt(utc('2026-01-05T14:00:00'), PANHANDLE, 'UTC')).toBe(utc('2026-01-05T15:00:00'));
  });

  it('when it is 19:30 Central in 850, then 20:30 Eastern has closed and the next opening is 9:00 Central', () => {
    expect(isSendAllowed(utc('2026-01-06T01:30:00'), PANHANDLE, 'UTC')).toBe(false);
    expect(nextSendAllowedAt(utc('2026-01-06T01:30:00'), PANHANDLE, 'UTC')).toBe(utc('2026-01-06T15:00:00'));
  });

  it('when Florida allows 8–20, then the effective window is the stricter 9–20 intersection', () => {
    const [window] = recipientWindows(MIAMI, 'UTC');
    expect(window.regions).toEqual(['FL']);
    expect(window.days.mon).toEqual({ openMinute: 9 * 60, closeMinute: 20 * 60 });
    expect(window.days.sun).toEqual({ openMinute: 12 * 60, closeMinute: 20 * 60 });
    expect(isSendAllowed(utc('2026-01-05T13:30:00'), MIAMI, 'UTC')).toBe(false); // 8:30 EST
  });

  it('when Texas allows until 21:00, then 20:30 is still closed; on Sunday the window opens at noon', () => {
    expect(isSendAllowed(utc('2026-01-06T02:30:00'), AUSTIN, 'UTC')).toBe(false); // Mon 20:30 CST
    expect(isSendAllowed(utc('2026-01-04T17:59:00'), AUSTIN, 'UTC')).toBe(false); // Sun 11:59 CST
    expect(isSendAllowed(utc('2026-01-04T18:00:00'), AUSTIN, 'UTC')).toBe(true); // Sun 12:00 CST
    expect(recipientWindows(AUSTIN, 'UTC')[0].days.sun).toEqual({ openMinute: 12 * 60, closeMinute: 20 * 60 });
  });

  it('when Connecticut, Oklahoma or Maryland numbers are checked, then no window exceeds 9–20', () => {
    for (const phone of ['+12035550134', '+14055550134', '+14105550134']) {
      for (const window of recipientWindows(phone, 'UTC')) {
        for (const day of Object.values(window.days)) {
          expect(day!.openMinute).toBeGreaterThanOrEqual(9 * 60);
          expect(day!.closeMinute).toBeLessThanOrEqual(20 * 60);
        }
      }
    }
  });
});

describe('recipient quiet hours: numbers without a known area code', () => {
  it('when the number is outside NANP (+44), then the location zone decides, not London', () => {
    const windows = recipientWindows(LONDON, 'America/Los_Angeles');
    expect(windows).toHaveLength(1);
    expect(windows[0].timeZone).toBe('America/Los_Angeles');
    // Monday 8:59 PST is 16:59 in London: closed because the location's zone governs.
    expect(isSendAllowed(utc('2026-01-05T16:59:00'), LONDON, 'America/Los_Angeles')).toBe(false);
    expect(isSendAllowed(utc('2026-01-05T17:00:00'), LONDON, 'America/Los_Angeles')).toBe(true);
  });

  it('when a +1 area code is not in the table (Jamaica 876), then the location zone decides', () => {
    expect(recipientWindows('+18765550134', 'America/Denver').map((w) => w.timeZone)).toEqual(['America/Denver']);
  });
});

describe('nextSendAllowedAt properties', () => {
  const phones = [NYC, AUSTIN, PANHANDLE, LONDON, '+19075550134', '+18675550134', '+19285550134', '+18085550134'];
  const arbitraryAt = fc.integer({ min: utc('2025-01-01T00:00:00'), max: utc('2028-12-31T00:00:00') });

  it('when asked for any instant and number, then the answer is allowed, not earlier, and within a week', () => {
    fc.assert(
      fc.property(arbitraryAt, fc.constantFrom(...phones), (at, phone) => {
        const next = nextSendAllowedAt(at, phone, 'America/Chicago');
        expect(next).toBeGreaterThanOrEqual(at);
        expect(next - at).toBeLessThan(7 * DAY);
        expect(isSendAllowed(next, phone, 'America/Chicago')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('when the answer lies ahead, then no earlier minute in between is allowed', () => {
    fc.assert(
      fc.property(arbitraryAt, fc.constantFrom(...phones), (at, phone) => {
        const next = nextSendAllowedAt(at, phone, 'Europe/London');
        for (let t = Math.ceil(at / MINUTE) * MINUTE; t < next; t += 10 * MINUTE) {
          expect(isSendAllowed(t, phone, 'Europe/London')).toBe(false);
        }
        if (next - MINUTE >= at) expect(isSendAllowed(next - MINUTE, phone, 'Europe/London')).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('when computed many times, then each call is fast (day-boundary search, not a minute scan)', () => {
    const started = performance.now();
    for (let i = 0; i < 200; i += 1) nextSendAllowedAt(utc('2026-01-03T02:00:00') + i * HOUR, '+18675550134', 'UTC');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('business hours', () => {
  const hours: BusinessHours = {
    days: {
      mon: { open: '09:00', close: '17:00' }, tue: { open: '09:00', close: '17:00' },
      wed: { open: '09:00', close: '17:00' }, thu: { open: '09:00', close: '17:00' },
      fri: { open: '09:00', close: '17:00' }, sat: { open: '10:00', close: '14:00' }, sun: null,
    },
    holidays: [],
  };

  it('when it is within the day’s opening hours in the location zone, then in hours; at closing, not', () => {
    expect(isWithinBusinessHours(utc('2026-01-05T14:00:00'), 'America/New_York', hours)).toBe(true);
    expect(isWithinBusinessHours(utc('2026-01-05T13:59:00'), 'America/New_York', hours)).toBe(false);
    expect(isWithinBusinessHours(utc('2026-01-05T22:00:00'), 'America/New_York', hours)).toBe(false);
  });

  it('when the day is closed (Sunday), then after hours all day', () => {
    expect(isWithinBusinessHours(utc('2026-01-04T17:00:00'), 'America/New_York', hours)).toBe(false);
    expect(isWithinBusinessHours(utc('2026-01-03T16:00:00'), 'America/New_York', hours)).toBe(true); // Sat 11:00
  });

  it('when the local date is a holiday, then after hours all day, judged by the local not the UTC date', () => {
    const fridayAfternoonLA = utc('2026-12-26T00:00:00'); // Fri 2026-12-25 16:00 PST
    expect(isWithinBusinessHours(fridayAfternoonLA, 'America/Los_Angeles', hours)).toBe(true);
    expect(isWithinBusinessHours(fridayAfternoonLA, 'America/Los_Angeles', { ...hours, holidays: ['2026-12-25'] })).toBe(false);
    expect(isWithinBusinessHours(fridayAfternoonLA, 'America/Los_Angeles', { ...hours, holidays: ['2026-12-26'] })).toBe(true);
  });

  it('when DST starts, then opening follows the wall clock', () => {
    expect(isWithinBusinessHours(utc('2026-03-09T13:00:00'), 'America/New_York', hours)).toBe(true);
    expect(isWithinBusinessHours(utc('2026-03-02T13:00:00'), 'America/New_York', hours)).toBe(false);
  });
});

describe('zone helpers', () => {
  it('when a zone name is checked, then Intl decides whether it is valid', () => {
    expect(isValidTimeZone('America/Indiana/Indianapolis')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('when the wall clock is read across midnight, then date and weekday are local', () => {
    expect(readWallClock(utc('2026-01-05T03:00:00'), 'America/Los_Angeles')).toEqual({
      year: 2026, month: 1, day: 4, minuteOfDay: 19 * 60, weekday: 'sun',
    });
  });
});
