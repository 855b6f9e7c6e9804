// Settings as a location's row reads: parsed once per JSON, shared between readers, frozen so no reader can change
// what the next one reads, and a patch (mergeSettings) still builds new settings from them.
import { describe, expect, it } from 'vitest';
import { toLocationRecord, type LocationRow } from '../../src/store/rows/locations.js';
import { defaultSettings, mergeSettings } from '../../src/workflow/settings.js';

function row(settings: unknown, locationId = 'loc-1'): LocationRow {
  return {
    location_id: locationId, company_id: 'co-1', status: 'installed', name: 'Acme Plumbing', time_zone: 'America/Chicago',
    phone: null, settings: JSON.stringify(settings), plan_id: null, trial: null, profile_synced_at: null, installed_at: 0,
    uninstalled_at: null,
  };
}

describe('location settings read from a row', () => {
  it('when two records are read from the same JSON, then they share one frozen settings object, defaults filled in', () => {
    const first = toLocationRecord(row({ followUp: { enabled: true, delayMinutes: 15 } }));
    const second = toLocationRecord(row({ followUp: { enabled: true, delayMinutes: 15 } }, 'loc-2'));
    expect(second.settings).toBe(first.settings);
    expect(first.settings.followUp).toMatchObject({ enabled: true, delayMinutes: 15 });
    expect(first.settings.missedStatuses).toEqual(defaultSettings().missedStatuses);
    expect(Object.isFrozen(first.settings)).toBe(true);
    expect(Object.isFrozen(first.settings.followUp)).toBe(true);
    expect(Object.isFrozen(first.settings.missedStatuses)).toBe(true);
  });

  it('when a reader tries to change the settings in place, then it throws and the next reader sees them unchanged', () => {
    const record = toLocationRecord(row({ followUp: { enabled: true, delayMinutes: 20 } }));
    expect(() => { (record.settings.followUp as { delayMinutes: number }).delayMinutes = 1; }).toThrow(TypeError);
    expect(() => { (record.settings.missedStatuses as string[]).push('busy'); }).toThrow(TypeError);
    expect(toLocationRecord(row({ followUp: { enabled: true, delayMinutes: 20 } })).settings.followUp.delayMinutes).toBe(20);
  });

  it('when the settings are patched, then new settings are built and the shared ones stay as they were', () => {
    const record = toLocationRecord(row({ followUp: { enabled: true, delayMinutes: 30 } }));
    const patched = mergeSettings(record.settings, { followUp: { delayMinutes: 45 } });
    expect(patched.followUp.delayMinutes).toBe(45);
    expect(Object.isFrozen(patched)).toBe(false);
    expect(record.settings.followUp.delayMinutes).toBe(30);
  });

  it('when the JSON differs, then so do the settings', () => {
    const a = toLocationRecord(row({ followUp: { enabled: true, delayMinutes: 61 } }));
    const b = toLocationRecord(row({ followUp: { enabled: true, delayMinutes: 62 } }));
    expect(a.settings).not.toBe(b.settings);
    expect(b.settings.followUp.delayMinutes).toBe(62);
  });
});
