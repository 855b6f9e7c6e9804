// Phone numbers as the stand-in stores and matches them: E.164, so "+1 (555) 010-2000" finds "+15550102000".
/** Strips formatting; 10 bare digits are read as a US number, any other bare digits as already carrying a country code. */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 0) return '';
  if (raw.trim().startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  return `+${digits}`;
}
