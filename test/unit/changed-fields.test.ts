// Field paths a settings change touched (the audit trail records names, never values).
import { describe, expect, it } from 'vitest';
import { changedFields } from '../../src/workflow/changed-fields.js';
import { defaultSettings, mergeSettings } from '../../src/workflow/settings.js';

describe('changedFields', () => {
  it('when nested values change, then their dotted paths come back sorted, and unchanged ones do not', () => {
    const before = defaultSettings();
    const after = mergeSettings(before, { followUp: { delayMinutes: 240 }, templates: { help: 'Call us' }, enabled: true });
    expect(changedFields(before, after)).toEqual(['followUp.delayMinutes', 'templates.help']);
  });

  it('when an array or a null day changes, then the whole field is one path', () => {
    const before = defaultSettings();
    const after = mergeSettings(before, { missedStatuses: ['busy'], businessHours: { days: { sun: { open: '10:00', close: '12:00' } } } });
    expect(changedFields(before, after)).toEqual(['businessHours.days.sun', 'missedStatuses']);
  });

  it('when an object appears where there was none, then its leaves are listed', () => {
    expect(changedFields({}, { followUp: { delayMinutes: 30, enabled: false } })).toEqual(['followUp.delayMinutes', 'followUp.enabled']);
    expect(changedFields({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
