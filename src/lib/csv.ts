// RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line break.
// Text that a spreadsheet would run as a formula (= + - @ at the start) is prefixed with a quote character.

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: numbers and booleans as written, null/undefined as empty, text quoted only when it must be. */
export function csvField(value: CsvValue, options: { guardFormulas?: boolean } = {}): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (options.guardFormulas && typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The whole document. `freeText` names the columns holding text typed by people (message bodies, reasons):
 * only those get the formula guard, so numbers such as +15551234567 in other columns stay exactly as stored.
 */
export function toCsv<K extends string>(columns: readonly K[], rows: readonly Partial<Record<K, CsvValue>>[], freeText: readonly K[] = []): string {
  const lines = [columns.map((column) => csvField(column)).join(',')];
  for (const row of rows) {
    lines.push(columns.map((column) => csvField(row[column], { guardFormulas: freeText.includes(column) })).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
