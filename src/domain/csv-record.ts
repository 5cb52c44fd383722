// How Chorus writes a CSV export, by OWASP's guidance on CSV injection: a spreadsheet reads a cell as a formula
// when it begins with = + - or @, and skips spaces and control characters before it (" =1+1", "\t=1+1",
// "\r=1+1"), so such a cell gets a leading apostrophe, which spreadsheets read as "this is text"; OWASP also
// names a cell beginning with a tab or a carriage return. A spreadsheet set to split on semicolons (as in many
// European locales) would make ";=1+1" two cells, the second a formula: so a cell holding any separator a
// spreadsheet may split on (comma, semicolon, tab), a double quote or a line break is quoted (RFC 4180), and
// stays one cell whichever separator is chosen.
const formulaStart = /^[\s\p{Cc}]*[=+\-@]/u;
const dangerousStart = /^[\t\r\n]/;
const needsQuotes = /[",;\t\r\n]/;

/** A value as one CSV cell: never read as a formula by a spreadsheet, quoted when it must be. Numbers are written as they are. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = formulaStart.test(value) || dangerousStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A row of cells as one line of a CSV file. */
export function csvRecord(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}
