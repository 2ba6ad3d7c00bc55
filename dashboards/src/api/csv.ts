/**
 * CSV (RFC 4180): comma-separated, CRLF line ends, fields with a comma, quote or line break quoted
 * and inner quotes doubled. Cells starting with = + - @ get a leading apostrophe so a spreadsheet
 * does not run them as formulas (OWASP "CSV Injection").
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  // A UTF-8 byte order mark so spreadsheet programs read Chinese names correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
