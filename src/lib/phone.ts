// Phone numbers: E.164 normalisation, whether a number may be texted at all, masking for logs, NANP area codes.
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

export type { CountryCode };

export type NumberClass = {
  textable: boolean;
  reason?: 'invalid' | 'short-code' | 'toll-free' | 'premium';
};

const E164 = /^\+[1-9]\d{6,14}$/;
const NANP = /^\+1([2-9]\d{2})[2-9]\d{6}$/;
// 800, 822 (reserved), 833, 844, 855, 866, 877, 888: NANP toll-free area codes.
const NANP_TOLL_FREE = /^8(\d)\1$/;

// libphonenumber's parse is costly and pure, and a call's number is parsed several times on its way: recent answers
// are remembered (bounded).
const MEMO_SIZE = 10_000;
const e164Memo = new Map<string, string | null>();
const classMemo = new Map<string, NumberClass>();
function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
  return value;
}

/** The number in E.164 (`+15125550123`), or null when libphonenumber (full metadata) does not consider it valid. */
export function toE164(raw: string, defaultCountry: CountryCode = 'US'): string | null {
  const key = `${defaultCountry}|${raw}`;
  const known = e164Memo.get(key);
  return known !== undefined ? known : remember(e164Memo, key, parseE164(raw, defaultCountry));
}

function parseE164(raw: string, defaultCountry: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (!parsed || !parsed.isValid()) return null;
  // A caller's number is normalised on arrival and classified before its text: classified now, from this one parse.
  if (!classMemo.has(parsed.number)) remember(classMemo, parsed.number, classOfValid(parsed.number, parsed));
  return parsed.number;
}

/** The NANP area code of a +1 number (`'512'`), else null. */
export function nanpAreaCode(e164: string): string | null {
  const match = NANP.exec(e164);
  return match ? match[1] : null;
}

/**
 * Whether the app may text this number. Short codes and alphanumeric sender ids (anything not E.164 that is
 * 3–8 digits or a sender name) cannot hold a conversation; toll-free and premium numbers are never texted.
 */
export function classifyNumber(e164: string): NumberClass {
  const known = classMemo.get(e164) ?? remember(classMemo, e164, classify(e164));
  return { ...known };
}

function classify(e164: string): NumberClass {
  const compact = e164.trim().replace(/[\s().-]/g, '');
  if (!E164.test(compact)) {
    const shortCode = /^\d{3,8}$/.test(compact) || /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(compact);
    return { textable: false, reason: shortCode ? 'short-code' : 'invalid' };
  }
  if (isNanpTollFree(compact)) return { textable: false, reason: 'toll-free' };
  const parsed = parsePhoneNumberFromString(compact);
  if (!parsed || !parsed.isValid()) return { textable: false, reason: 'invalid' };
  return classOfValid(compact, parsed);
}

function isNanpTollFree(e164: string): boolean {
  const areaCode = e164.startsWith('+1') && e164.length === 12 ? e164.slice(2, 5) : null;
  return areaCode !== null && NANP_TOLL_FREE.test(areaCode);
}

/** The class of a number libphonenumber parsed as valid (`e164` its E.164 form). */
function classOfValid(e164: string, parsed: PhoneNumber): NumberClass {
  if (isNanpTollFree(e164)) return { textable: false, reason: 'toll-free' };
  const type = parsed.getType();
  if (type === 'TOLL_FREE') return { textable: false, reason: 'toll-free' };
  if (type === 'PREMIUM_RATE') return { textable: false, reason: 'premium' };
  return { textable: true };
}

/** The number as people of its country write it (`+12125550100` → `(212) 555-0100`); the input when unparseable. */
export function formatNational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}

/** Only the last four digits stay visible (`***4567`); used wherever a number reaches logs or the audit trail. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length > 4 ? `***${digits.slice(-4)}` : '***';
}
