// Unit tests for src/workflow/area-codes.ts: coverage, zone validity, and the area codes that span two zones.
import { describe, expect, it } from 'vitest';
import { listAreaCodes, lookupAreaCode } from '../../src/workflow/area-codes.js';

const US_STATES =
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(' ');
const PROVINCES = 'AB BC MB NB NL NS PE ON QC SK YT NT NU'.split(' ');

describe('area code table', () => {
  const codes = listAreaCodes();

  it('when listed, then it holds several hundred three-digit NANP geographic codes', () => {
    expect(codes.length).toBeGreaterThan(380);
    for (const code of codes) expect(code).toMatch(/^[2-9]\d{2}$/);
  });

  it('when any entry is read, then every zone is one Intl knows', () => {
    for (const code of codes) {
      const info = lookupAreaCode(code)!;
      expect(info.regions.length).toBeGreaterThan(0);
      for (const timeZone of info.timeZones) {
        expect(() => new Intl.DateTimeFormat('en-US', { timeZone }), `${code} ${timeZone}`).not.toThrow();
      }
    }
  });

  it('when all entries are read, then every state, DC and every province is covered', () => {
    const regions = new Set(codes.flatMap((code) => lookupAreaCode(code)!.regions));
    for (const region of [...US_STATES, ...PROVINCES, 'PR']) expect(regions, region).toContain(region);
  });

  it('when a toll-free or non-geographic code is looked up, then it is absent', () => {
    for (const code of ['800', '833', '844', '855', '866', '877', '888', '900', '555', '500', '700']) {
      expect(lookupAreaCode(code), code).toBeNull();
    }
  });

  it('when a Caribbean NANP code is looked up, then it is absent (those numbers use the location zone)', () => {
    for (const code of ['242', '246', '809', '876', '868']) expect(lookupAreaCode(code), code).toBeNull();
  });
});

describe('lookupAreaCode', () => {
  it('when a single-zone code is looked up, then its state and zone come back', () => {
    expect(lookupAreaCode('212')).toEqual({ regions: ['NY'], timeZones: ['America/New_York'] });
    expect(lookupAreaCode('512')).toEqual({ regions: ['TX'], timeZones: ['America/Chicago'] });
    expect(lookupAreaCode('602')).toEqual({ regions: ['AZ'], timeZones: ['America/Phoenix'] });
    expect(lookupAreaCode('808')).toEqual({ regions: ['HI'], timeZones: ['Pacific/Honolulu'] });
    expect(lookupAreaCode('915')).toEqual({ regions: ['TX'], timeZones: ['America/Denver'] });
    expect(lookupAreaCode('416')).toEqual({ regions: ['ON'], timeZones: ['America/Toronto'] });
  });

  it('when a code spans two zones, then both are listed', () => {
    const spans: Record<string, string[]> = {
      '850': ['America/Chicago', 'America/New_York'],
      '448': ['America/Chicago', 'America/New_York'],
      '270': ['America/Chicago', 'America/New_York'],
      '812': ['America/Chicago', 'America/New_York'],
      '423': ['America/Chicago', 'America/New_York'],
      '605': ['America/Chicago', 'America/Denver'],
      '701': ['America/Chicago', 'America/Denver'],
      '308': ['America/Chicago', 'America/Denver'],
      '785': ['America/Chicago', 'America/Denver'],
      '208': ['America/Boise', 'America/Los_Angeles'],
      '541': ['America/Boise', 'America/Los_Angeles'],
      '928': ['America/Denver', 'America/Phoenix'],
      '906': ['America/Menominee', 'America/New_York'],
      '807': ['America/Toronto', 'America/Winnipeg'],
    };
    for (const [code, zones] of Object.entries(spans)) {
      expect([...lookupAreaCode(code)!.timeZones].sort(), code).toEqual(zones);
    }
  });

  it('when a code serves two provinces, then both regions are listed', () => {
    expect(lookupAreaCode('902')!.regions.sort()).toEqual(['NS', 'PE']);
    expect(lookupAreaCode('867')!.regions.sort()).toEqual(['NT', 'NU', 'YT']);
  });

  it('when an unknown code is looked up, then null', () => {
    expect(lookupAreaCode('999')).toBeNull();
    expect(lookupAreaCode('')).toBeNull();
  });

  it('when a result is modified by the caller, then the table is unchanged', () => {
    lookupAreaCode('850')!.timeZones.push('Europe/London');
    expect(lookupAreaCode('850')!.timeZones).not.toContain('Europe/London');
  });
});
