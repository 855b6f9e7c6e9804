// Unit tests for src/lib/phone.ts: E.164 parsing, textability, masking, NANP area codes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyNumber, maskPhone, nanpAreaCode, toE164 } from '../../src/lib/phone.js';

describe('toE164', () => {
  it('when a US number is written nationally, then it becomes +1 E.164', () => {
    expect(toE164('(512) 555-0134')).toBe('+15125550134');
    expect(toE164(' 512.555.0134 ')).toBe('+15125550134');
  });

  it('when a number carries its own country code, then the default country is ignored', () => {
    expect(toE164('+44 20 7946 0000')).toBe('+442079460000');
  });

  it('when a default country is given, then national numbers parse in that country', () => {
    expect(toE164('020 7946 0000', 'GB')).toBe('+442079460000');
    expect(toE164('604 555 0134', 'CA')).toBe('+16045550134');
  });

  it('when the number is invalid, then null', () => {
    expect(toE164('12345')).toBeNull();
    expect(toE164('+1 555 123 4567')).toBeNull(); // 555 is not a geographic area code
    expect(toE164('not a number')).toBeNull();
    expect(toE164('')).toBeNull();
  });
});

describe('classifyNumber', () => {
  it('when the number is an ordinary US or UK number, then it is textable', () => {
    expect(classifyNumber('+15125550134')).toEqual({ textable: true });
    expect(classifyNumber('+447911123456')).toEqual({ textable: true });
  });

  it('when the number is NANP toll-free, then it is not textable', () => {
    for (const code of ['800', '833', '844', '855', '866', '877', '888']) {
      expect(classifyNumber(`+1${code}5550134`)).toEqual({ textable: false, reason: 'toll-free' });
    }
  });

  it('when libphonenumber types a foreign number as toll-free, then it is not textable', () => {
    expect(classifyNumber('+448001111111')).toEqual({ textable: false, reason: 'toll-free' });
  });

  it('when the number is premium-rate, then it is not textable', () => {
    expect(classifyNumber('+19005550134')).toEqual({ textable: false, reason: 'premium' });
  });

  it('when a number was normalised first (its class taken from that parse), then its class is the one a fresh parse gives', () => {
    // Written nationally, each in its country: classified from toE164's parse (the memo), not from the E.164 form.
    const cases = [
      ['(866) 234-5678', 'US', { textable: false, reason: 'toll-free' }],
      ['900 234 5678', 'US', { textable: false, reason: 'premium' }],
      ['07911 123456', 'GB', { textable: true }],
      ['(416) 234-5678', 'CA', { textable: true }],
    ] as const;
    for (const [raw, country, expected] of cases) {
      const e164 = toE164(raw, country);
      expect(e164).not.toBeNull();
      expect(classifyNumber(e164!)).toEqual(expected);
    }
  });

  it('when the sender is a 5–6 digit short code or a sender name, then it is a short code', () => {
    expect(classifyNumber('12345')).toEqual({ textable: false, reason: 'short-code' });
    expect(classifyNumber('898287')).toEqual({ textable: false, reason: 'short-code' });
    expect(classifyNumber('AMAZON')).toEqual({ textable: false, reason: 'short-code' });
  });

  it('when the number is E.164-shaped but not valid, or empty, then it is invalid', () => {
    expect(classifyNumber('+15551234567')).toEqual({ textable: false, reason: 'invalid' });
    expect(classifyNumber('')).toEqual({ textable: false, reason: 'invalid' });
    expect(classifyNumber('+1 (512) ???')).toEqual({ textable: false, reason: 'invalid' });
  });
});

describe('maskPhone', () => {
  it('when a number is masked, then only its last four digits remain', () => {
    expect(maskPhone('+15125554567')).toBe('***4567');
    expect(maskPhone('(512) 555-4567')).toBe('***4567');
  });

  it('when the input has four digits or fewer, then nothing is shown', () => {
    expect(maskPhone('4567')).toBe('***');
    expect(maskPhone('')).toBe('***');
  });

  it('when any number is masked, then no more than four of its digits appear', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(masked.replace(/\D/g, '')).toBe(phone.slice(-4));
        expect(masked.startsWith('***')).toBe(true);
      }),
    );
  });
});

describe('nanpAreaCode', () => {
  it('when the number is +1, then its area code is returned', () => {
    expect(nanpAreaCode('+18502223333')).toBe('850');
    expect(nanpAreaCode('+16045550134')).toBe('604');
  });

  it('when the number is not NANP or not E.164, then null', () => {
    expect(nanpAreaCode('+442079460000')).toBeNull();
    expect(nanpAreaCode('8502223333')).toBeNull();
    expect(nanpAreaCode('+1850222333')).toBeNull();
  });
});
