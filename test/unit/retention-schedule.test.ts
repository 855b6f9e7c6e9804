// The calendar arithmetic behind retention: cut-offs in calendar months, the daily run time.
import { describe, expect, it } from 'vitest';
import { monthsBefore, retentionCutoffs } from '../../src/store/retention.js';
import { nextRetentionRunAt } from '../../src/jobs/retention.js';

const iso = (at: number) => new Date(at).toISOString();

describe('retention cut-offs', () => {
  it('when counting 12 months back, then it lands on the same day and time a year earlier', () => {
    expect(iso(monthsBefore(Date.UTC(2026, 0, 6, 16, 0), 12))).toBe('2025-01-06T16:00:00.000Z');
  });

  it('when the day does not exist in the target month, then it is clamped to that month\'s last day', () => {
    expect(iso(monthsBefore(Date.UTC(2026, 2, 31, 9), 1))).toBe('2026-02-28T09:00:00.000Z');
    expect(iso(monthsBefore(Date.UTC(2024, 2, 31, 9), 1))).toBe('2024-02-29T09:00:00.000Z');
    expect(iso(monthsBefore(Date.UTC(2025, 1, 28), -13))).toBe('2026-03-28T00:00:00.000Z');
  });

  it('when the policy is 12 months, 90 days and 7 days, then the three cut-offs follow from now', () => {
    const now = Date.UTC(2026, 5, 15, 12);
    expect(retentionCutoffs({ retentionMonths: 12, uninstallPurgeDays: 90, finishedJobsKeepDays: 7 }, now)).toEqual({
      recordsBefore: Date.UTC(2025, 5, 15, 12), uninstalledBefore: now - 90 * 86_400_000, finishedJobsBefore: now - 7 * 86_400_000,
    });
  });
});

describe('the daily run time', () => {
  it('when it is before 08:00 UTC, then the run is today at 08:00; at or after it, tomorrow', () => {
    expect(iso(nextRetentionRunAt(Date.UTC(2026, 0, 6, 7, 59)))).toBe('2026-01-06T08:00:00.000Z');
    expect(iso(nextRetentionRunAt(Date.UTC(2026, 0, 6, 8, 0)))).toBe('2026-01-07T08:00:00.000Z');
    expect(iso(nextRetentionRunAt(Date.UTC(2026, 0, 31, 23, 0)))).toBe('2026-02-01T08:00:00.000Z');
  });
});
