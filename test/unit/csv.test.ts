// CSV writing: RFC 4180 quoting and the spreadsheet-formula guard on free-text columns.
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/lib/csv.js';

describe('csv', () => {
  it('when a field holds a comma, a quote or a line break, then it is quoted with inner quotes doubled', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('when free text starts like a formula, then it is defused; other columns keep numbers such as +1555… as stored', () => {
    const text = toCsv(['phone', 'text'], [{ phone: '+15551234567', text: '=HYPERLINK("x")' }, { phone: '+15559876543', text: '-10% off' }], ['text']);
    expect(text).toBe('phone,text\r\n+15551234567,"\'=HYPERLINK(""x"")"\r\n+15559876543,\'-10% off\r\n');
  });

  it('when rows lack a column, then that field is empty and every row keeps the header\'s width', () => {
    expect(toCsv(['a', 'b', 'c'], [{ a: 1 }, { c: 'z' }])).toBe('a,b,c\r\n1,,\r\n,,z\r\n');
  });
});
