/**
 * CSV as RFC 4180 writes it: fields with commas, quotes or line breaks are quoted, lines end in
 * CRLF (what spreadsheets expect). Empty for null and undefined.
 */
export function csvTable(rows: readonly (readonly unknown[])[]): string {
  const field = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
