// Unit tests for src/workflow/settings.ts: defaults, validation of every field, the patch schema and merging.
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { isWithinBusinessHours } from '../../src/workflow/send-window.js';
import {
  LocationSettingsSchema,
  SettingsPatchSchema,
  defaultSettings,
  mergeSettings,
  type SettingsPatch,
} from '../../src/workflow/settings.js';
import { DEFAULT_TEMPLATES } from '../../src/workflow/templates.js';

const issuePaths = (input: unknown, schema: { safeParse(x: unknown): { error?: ZodError } } = LocationSettingsSchema) =>
  (schema.safeParse(input).error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('defaults', () => {
  it('when an empty object is parsed, then every default of a new installation is filled in', () => {
    const settings = LocationSettingsSchema.parse({});
    expect(settings).toEqual({
      enabled: true,
      templates: { ...DEFAULT_TEMPLATES },
      followUp: { enabled: true, delayMinutes: 120 },
      cooldownHours: 24,
      missedStatuses: ['no-answer', 'busy', 'canceled', 'failed', 'voicemail'],
      businessHours: {
        days: {
          mon: { open: '09:00', close: '17:00' }, tue: { open: '09:00', close: '17:00' },
          wed: { open: '09:00', close: '17:00' }, thu: { open: '09:00', close: '17:00' },
          fri: { open: '09:00', close: '17:00' }, sat: null, sun: null,
        },
        holidays: [],
      },
      timeZone: null,
      textBackPolicy: 'respect-quiet-hours',
      replyTag: 'missed-call-replied',
      sendOptOutConfirmation: true,
      highLevelAppendsOptOut: false,
      firstNameFallback: 'there',
      includeOptOutLink: false,
      provider: 'highlevel',
      landlineCheck: false,
    });
    expect(defaultSettings()).toEqual(settings);
  });

  it('when defaults are taken twice, then the two objects share no state', () => {
    const first = defaultSettings();
    first.missedStatuses.pop();
    first.businessHours.holidays.push('2026-12-25');
    expect(defaultSettings().missedStatuses).toHaveLength(5);
    expect(defaultSettings().businessHours.holidays).toEqual([]);
  });

  it('when stored settings miss nested fields, then those fields get their defaults', () => {
    const settings = LocationSettingsSchema.parse({ followUp: { enabled: false }, templates: { help: 'Call {{business_phone}}' } });
    expect(settings.followUp).toEqual({ enabled: false, delayMinutes: 120 });
    expect(settings.templates.help).toBe('Call {{business_phone}}');
    expect(settings.templates.followUp).toBe(DEFAULT_TEMPLATES.followUp);
  });

  it('when the default business hours are used, then send-window accepts them', () => {
    expect(isWithinBusinessHours(Date.UTC(2026, 0, 5, 15), 'America/New_York', defaultSettings().businessHours)).toBe(true);
  });
});

describe('validation', () => {
  it('when a template names an unknown variable, then the issue names that variable', () => {
    const result = LocationSettingsSchema.safeParse({ templates: { followUp: 'Hi {{firstname}}' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({ path: ['templates', 'followUp'], message: expect.stringContaining('{{firstname}}') }),
    ]);
  });

  it('when a template is empty or longer than 1600 characters, then it is rejected', () => {
    expect(issuePaths({ templates: { help: '' } })).toEqual(['templates.help']);
    expect(issuePaths({ templates: { help: 'a'.repeat(1601) } })).toEqual(['templates.help']);
    expect(issuePaths({ templates: { help: 'a'.repeat(1600) } })).toEqual([]);
  });

  it('when the follow-up delay is outside 15..10080 minutes or fractional, then it is rejected', () => {
    expect(issuePaths({ followUp: { delayMinutes: 14 } })).toEqual(['followUp.delayMinutes']);
    expect(issuePaths({ followUp: { delayMinutes: 10_081 } })).toEqual(['followUp.delayMinutes']);
    expect(issuePaths({ followUp: { delayMinutes: 30.5 } })).toEqual(['followUp.delayMinutes']);
    expect(issuePaths({ followUp: { delayMinutes: 15 } })).toEqual([]);
    expect(issuePaths({ followUp: { delayMinutes: 10_080 } })).toEqual([]);
  });

  it('when the cooldown is outside 0..720 hours, then it is rejected', () => {
    expect(issuePaths({ cooldownHours: -1 })).toEqual(['cooldownHours']);
    expect(issuePaths({ cooldownHours: 721 })).toEqual(['cooldownHours']);
    expect(issuePaths({ cooldownHours: 0 })).toEqual([]);
  });

  it('when missed statuses are empty or unknown, then they are rejected', () => {
    expect(issuePaths({ missedStatuses: [] })).toEqual(['missedStatuses']);
    expect(issuePaths({ missedStatuses: ['ringing'] })).toEqual(['missedStatuses.0']);
    expect(issuePaths({ missedStatuses: ['busy'] })).toEqual([]);
  });

  it('when business hours are malformed or open after close, then the day is rejected', () => {
    expect(issuePaths({ businessHours: { days: { mon: { open: '9:00', close: '17:00' } } } })).toEqual(['businessHours.days.mon.open']);
    expect(issuePaths({ businessHours: { days: { tue: { open: '09:00', close: '24:00' } } } })).toEqual(['businessHours.days.tue.close']);
    expect(issuePaths({ businessHours: { days: { wed: { open: '17:00', close: '09:00' } } } })).toEqual(['businessHours.days.wed.close']);
    expect(issuePaths({ businessHours: { days: { thu: { open: '09:00', close: '09:00' } } } })).toEqual(['businessHours.days.thu.close']);
    expect(issuePaths({ businessHours: { days: { sun: { open: '10:00', close: '14:00' } } } })).toEqual([]);
  });

  it('when a holiday is not a real YYYY-MM-DD date, then it is rejected', () => {
    expect(issuePaths({ businessHours: { holidays: ['2026-02-30'] } })).toEqual(['businessHours.holidays.0']);
    expect(issuePaths({ businessHours: { holidays: ['12/25/2026'] } })).toEqual(['businessHours.holidays.0']);
    expect(issuePaths({ businessHours: { holidays: ['2028-02-29', '2026-12-25'] } })).toEqual([]);
  });

  it('when the time zone is unknown to Intl, then it is rejected; null and real zones are accepted', () => {
    expect(issuePaths({ timeZone: 'Mars/Olympus_Mons' })).toEqual(['timeZone']);
    expect(issuePaths({ timeZone: 'America/Denver' })).toEqual([]);
    expect(issuePaths({ timeZone: null })).toEqual([]);
  });

  it('when the policy, reply tag or fallback is invalid, then each field is reported', () => {
    expect(issuePaths({ textBackPolicy: 'whenever' })).toEqual(['textBackPolicy']);
    expect(issuePaths({ replyTag: 'x'.repeat(65) })).toEqual(['replyTag']);
    expect(issuePaths({ firstNameFallback: 'x'.repeat(41) })).toEqual(['firstNameFallback']);
    expect(issuePaths({ enabled: 'yes' })).toEqual(['enabled']);
    expect(LocationSettingsSchema.parse({ replyTag: '' }).replyTag).toBe('');
  });
});

describe('SettingsPatchSchema', () => {
  it('when a patch sets one nested field, then nothing else is filled in', () => {
    expect(SettingsPatchSchema.parse({ followUp: { enabled: false } })).toEqual({ followUp: { enabled: false } });
    expect(SettingsPatchSchema.parse({})).toEqual({});
  });

  it('when a patch has unknown keys at any depth, then each is reported', () => {
    expect(issuePaths({ colour: 'red', followUp: { delay: 5 } }, SettingsPatchSchema).sort()).toEqual(['', 'followUp']);
  });

  it('when a patch carries invalid values, then every bad field is listed', () => {
    const paths = issuePaths(
      { cooldownHours: 9999, templates: { help: 'Hi {{nope}}' }, businessHours: { holidays: ['nope'] }, timeZone: 'X/Y' },
      SettingsPatchSchema,
    );
    expect(paths.sort()).toEqual(['businessHours.holidays.0', 'cooldownHours', 'templates.help', 'timeZone']);
  });

  it('when a patch sets the time zone to null, then that is a valid change', () => {
    expect(SettingsPatchSchema.parse({ timeZone: null })).toEqual({ timeZone: null });
  });
});

describe('mergeSettings', () => {
  it('when a nested field is patched, then its siblings keep their current values', () => {
    const current = mergeSettings(defaultSettings(), { followUp: { delayMinutes: 60 } });
    const merged = mergeSettings(current, { followUp: { enabled: false }, templates: { help: 'Call {{business_phone}}' } });
    expect(merged.followUp).toEqual({ enabled: false, delayMinutes: 60 });
    expect(merged.templates.help).toBe('Call {{business_phone}}');
    expect(merged.templates.followUp).toBe(DEFAULT_TEMPLATES.followUp);
  });

  it('when one day of business hours is patched, then the other days are unchanged', () => {
    const merged = mergeSettings(defaultSettings(), { businessHours: { days: { sat: { open: '10:00', close: '14:00' }, mon: null } } });
    expect(merged.businessHours.days.sat).toEqual({ open: '10:00', close: '14:00' });
    expect(merged.businessHours.days.mon).toBeNull();
    expect(merged.businessHours.days.tue).toEqual({ open: '09:00', close: '17:00' });
  });

  it('when an array is patched, then it replaces the current array whole', () => {
    const current = mergeSettings(defaultSettings(), { businessHours: { holidays: ['2026-12-25', '2026-12-26'] } });
    const merged = mergeSettings(current, { businessHours: { holidays: ['2027-01-01'] }, missedStatuses: ['busy'] });
    expect(merged.businessHours.holidays).toEqual(['2027-01-01']);
    expect(merged.missedStatuses).toEqual(['busy']);
  });

  it('when a patch makes the merged result invalid, then mergeSettings throws a ZodError with the path', () => {
    const patch: SettingsPatch = { businessHours: { days: { mon: { close: '08:00' } } } };
    expect(SettingsPatchSchema.safeParse(patch).success).toBe(true);
    try {
      mergeSettings(defaultSettings(), patch);
      expect.unreachable('mergeSettings accepted open 09:00 / close 08:00');
    } catch (error) {
      expect(error).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues[0].path).toEqual(['businessHours', 'days', 'mon', 'close']);
    }
  });

  it('when patched, then the current settings object is not mutated', () => {
    const current = defaultSettings();
    const snapshot = structuredClone(current);
    mergeSettings(current, { followUp: { enabled: false }, businessHours: { days: { mon: null } } });
    expect(current).toEqual(snapshot);
  });

  it('when the patch is empty, then the result equals the current settings', () => {
    const current = mergeSettings(defaultSettings(), { replyTag: 'called-back', timeZone: 'America/Chicago' });
    expect(mergeSettings(current, {})).toEqual(current);
  });
});
