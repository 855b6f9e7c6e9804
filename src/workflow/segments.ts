// SMS length: GSM-7 vs UCS-2 encoding, segment count, and the characters that force UCS-2 with GSM-7 look-alikes.

export type Offender = { char: string; index: number; suggestion?: string };
export type TextAnalysis = {
  encoding: 'GSM-7' | 'UCS-2';
  /** GSM-7 septets (extension characters count 2) or UTF-16 code units. */
  units: number;
  segments: number;
  /** Units per segment for this message: 160/153 (GSM-7) or 70/67 (UCS-2), depending on whether it is split. */
  perSegment: number;
  offending: Offender[];
};

// GSM 03.38 basic character set (the escape code excluded) and the extension table reached through the escape.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LOOKALIKES: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'", '\u02BC': "'", '`': "'", '\u00B4': "'",
  '\u2039': "'", '\u203A': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2022': '-', '\u00B7': '-',
  '\u2026': '...', '\t': ' ', '\u00A0': ' ', '\u2007': ' ', '\u202F': ' ',
  '\u00AD': '', '\u200B': '', '\u200C': '', '\u200D': '', '\u2060': '', '\uFEFF': '',
  'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'œ': 'oe', 'Œ': 'OE', 'ı': 'i', '×': 'x', '©': '(c)', '®': '(R)', 'ˆ': '^',
};

const gsmUnits = (char: string): number => (GSM_BASIC.has(char) ? 1 : GSM_EXTENSION.has(char) ? 2 : 0);
const isGsmText = (text: string): boolean => [...text].every((char) => gsmUnits(char) > 0);

/** A GSM-7 replacement for a non-GSM character (or grapheme), if one reads the same. */
function suggestFor(grapheme: string): string | undefined {
  if (grapheme in LOOKALIKES) return LOOKALIKES[grapheme];
  const composed = grapheme.normalize('NFC');
  if (isGsmText(composed)) return composed;
  const stripped = grapheme.normalize('NFKD').replace(/\p{M}/gu, '');
  if (stripped !== '' && isGsmText(stripped)) return stripped;
  return undefined;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function findOffenders(text: string): Offender[] {
  const offenders: Offender[] = [];
  for (const { segment, index } of graphemes.segment(text)) {
    if (isGsmText(segment)) continue;
    const suggestion = suggestFor(segment);
    offenders.push(suggestion === undefined ? { char: segment, index } : { char: segment, index, suggestion });
  }
  return offenders;
}

/**
 * Packs characters into segments of `size` units without splitting one character across two
 * (an escaped GSM-7 character, or a UTF-16 surrogate pair), as carriers do.
 */
function countSegments(charUnits: number[], size: number): number {
  let segments = 1;
  let used = 0;
  for (const units of charUnits) {
    if (used + units > size) {
      segments += 1;
      used = 0;
    }
    used += units;
  }
  return segments;
}

export function analyzeText(text: string): TextAnalysis {
  const chars = [...text];
  const gsm = chars.every((char) => gsmUnits(char) > 0);
  // An all-GSM text has no offending character: the grapheme walk (costly) is only for the others.
  const offending = gsm ? [] : findOffenders(text);
  const charUnits = gsm ? chars.map(gsmUnits) : chars.map((char) => char.length);
  const units = charUnits.reduce((sum, n) => sum + n, 0);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const segments = units === 0 ? 0 : units <= single ? 1 : countSegments(charUnits, multi);
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', units, segments, perSegment: segments > 1 ? multi : single, offending };
}

/** Applies every look-alike suggestion; characters without one (emoji, most scripts) stay as they are. */
export function replaceLookalikes(text: string): string {
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    out += isGsmText(segment) ? segment : (suggestFor(segment) ?? segment);
  }
  return out;
}
