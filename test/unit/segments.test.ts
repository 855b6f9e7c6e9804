// Unit tests for src/workflow/segments.ts: GSM-7/UCS-2 detection, unit and segment counts, look-alike suggestions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeText, replaceLookalikes } from '../../src/workflow/segments.js';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

describe('analyzeText: GSM-7', () => {
  it('when the text is empty, then it takes no segment', () => {
    expect(analyzeText('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, perSegment: 160, offending: [] });
  });

  it('when every GSM-7 basic character is used, then each counts one unit and none offends', () => {
    const result = analyzeText(GSM_BASIC);
    expect(result.encoding).toBe('GSM-7');
    expect(result.units).toBe(127);
    expect(result.offending).toEqual([]);
  });

  it('when é, è, à, ù, ì, ò, Ç, ñ, Ñ, ü, ö, ä, Ä, Ö, Ü, Å, å, Æ, æ, ø, Ø, ß, É appear, then the text stays GSM-7', () => {
    expect(analyzeText('éèàùìòÇñÑüöäÄÖÜÅåÆæøØßÉ').encoding).toBe('GSM-7');
  });

  it('when extension characters appear, then each counts two units', () => {
    for (const char of GSM_EXTENSION) {
      expect(analyzeText(char), JSON.stringify(char)).toMatchObject({ encoding: 'GSM-7', units: 2, segments: 1 });
    }
    expect(analyzeText('Price: 5€ [approx]').units).toBe(18 + 3);
  });

  it('when the text is 160 units, then one segment; at 161, two segments of 153', () => {
    expect(analyzeText('a'.repeat(160))).toMatchObject({ units: 160, segments: 1, perSegment: 160 });
    expect(analyzeText('a'.repeat(161))).toMatchObject({ units: 161, segments: 2, perSegment: 153 });
  });

  it('when a long text is split, then segments hold 153 units each', () => {
    expect(analyzeText('a'.repeat(306)).segments).toBe(2);
    expect(analyzeText('a'.repeat(307)).segments).toBe(3);
    expect(analyzeText('a'.repeat(459)).segments).toBe(3);
  });

  it('when extension characters push a text over 160, then it splits', () => {
    expect(analyzeText(`${'a'.repeat(158)}€`)).toMatchObject({ units: 160, segments: 1 });
    expect(analyzeText(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('when an escaped character would straddle a 153-unit boundary, then it moves to the next segment', () => {
    // 152 + 2 + 152 = 306 units, but the € cannot be split, so the first segment holds 152 and a third is needed.
    expect(analyzeText(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });
});

describe('analyzeText: UCS-2', () => {
  it('when one character is outside GSM-7, then the whole text is UCS-2 counted in UTF-16 units', () => {
    const result = analyzeText('Hi ’there');
    expect(result).toMatchObject({ encoding: 'UCS-2', units: 9, segments: 1, perSegment: 70 });
  });

  it('when the text is 70 units, then one segment; at 71, two segments of 67', () => {
    expect(analyzeText(`ç${'a'.repeat(69)}`)).toMatchObject({ units: 70, segments: 1, perSegment: 70 });
    expect(analyzeText(`ç${'a'.repeat(70)}`)).toMatchObject({ units: 71, segments: 2, perSegment: 67 });
    expect(analyzeText(`ç${'a'.repeat(133)}`).segments).toBe(2);
    expect(analyzeText(`ç${'a'.repeat(134)}`).segments).toBe(3);
  });

  it('when an emoji appears, then it counts two units and makes the text UCS-2', () => {
    expect(analyzeText('Thanks 😀')).toMatchObject({ encoding: 'UCS-2', units: 9, segments: 1 });
    expect(analyzeText(`${'a'.repeat(68)}😀`)).toMatchObject({ units: 70, segments: 1 });
    expect(analyzeText(`${'a'.repeat(69)}😀`)).toMatchObject({ units: 71, segments: 2 });
  });

  it('when extension characters appear in a UCS-2 text, then they count one unit', () => {
    expect(analyzeText('€ç').units).toBe(2);
  });
});

describe('analyzeText: offending characters', () => {
  it('when typographic punctuation appears, then each is listed with its index and GSM-7 look-alike', () => {
    expect(analyzeText('It’s “ok” — really…').offending).toEqual([
      { char: '’', index: 2, suggestion: "'" },
      { char: '“', index: 5, suggestion: '"' },
      { char: '”', index: 8, suggestion: '"' },
      { char: '—', index: 10, suggestion: '-' },
      { char: '…', index: 18, suggestion: '...' },
    ]);
  });

  it('when accented letters outside GSM-7 appear, then the unaccented letter is suggested', () => {
    const suggestions = Object.fromEntries(analyzeText('çáíóúâêÁë–‘\u00A0').offending.map((o) => [o.char, o.suggestion]));
    expect(suggestions).toEqual({
      ç: 'c', á: 'a', í: 'i', ó: 'o', ú: 'u', â: 'a', ê: 'e', Á: 'A', ë: 'e', '–': '-', '‘': "'", '\u00A0': ' ',
    });
  });

  it('when an emoji appears, then it is listed once without a suggestion', () => {
    expect(analyzeText('Hi 👍🏽!').offending).toEqual([{ char: '👍🏽', index: 3 }]);
  });

  it('when é is written decomposed (e + combining accent), then the composed GSM-7 é is suggested', () => {
    expect(analyzeText('Cafe\u0301').offending).toEqual([{ char: 'e\u0301', index: 3, suggestion: 'é' }]);
  });
});

describe('replaceLookalikes', () => {
  it('when a text has look-alikes, then every suggestion is applied and the text becomes GSM-7', () => {
    const fixed = replaceLookalikes('It’s “ok” — façade… São\u00A0Paulo');
    expect(fixed).toBe('It\'s "ok" - facade... Sao Paulo');
    expect(analyzeText(fixed).encoding).toBe('GSM-7');
  });

  it('when a character has no look-alike, then it is kept', () => {
    expect(replaceLookalikes('Thanks’ 😀')).toBe("Thanks' 😀");
  });
});

describe('properties', () => {
  const anyText = fc.string({ unit: 'grapheme', maxLength: 400 });

  it('when any text is analysed, then segments are at least ceil(units / perSegment) and 0 only for empty text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { units, segments, perSegment, encoding } = analyzeText(text);
        expect(segments).toBeGreaterThanOrEqual(Math.ceil(units / perSegment));
        expect(segments === 0).toBe(text === '');
        if (encoding === 'UCS-2') expect(units).toBe(text.length);
        if (segments === 1) expect(units).toBeLessThanOrEqual(encoding === 'GSM-7' ? 160 : 70);
      }),
    );
  });

  it('when every offending character has a suggestion, then replaceLookalikes yields GSM-7', () => {
    const unit = fc.constantFrom(...'abc XYZ.’‘“”—–…\u00A0çáíóúâêôûîÁÉÍÓÚéèñÇ€[]'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 200 }), (text) => {
        fc.pre(analyzeText(text).offending.every((o) => o.suggestion !== undefined));
        expect(analyzeText(replaceLookalikes(text)).encoding).toBe('GSM-7');
      }),
    );
  });

  it('when a text is already GSM-7, then replaceLookalikes leaves it unchanged', () => {
    const unit = fc.constantFrom(...(GSM_BASIC + GSM_EXTENSION).split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 200 }), (text) => {
        expect(replaceLookalikes(text)).toBe(text);
      }),
    );
  });
});
