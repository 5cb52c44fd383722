import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord } from '../../src/domain/csv-record.ts';

describe('CSV cells', () => {
  it('writes plain text and numbers as they are', () => {
    expect(csvCell('nurse_nia')).toBe('nurse_nia');
    expect(csvCell('https://x.com/nurse_nia/status/1')).toBe('https://x.com/nurse_nia/status/1');
    expect(csvCell(4500)).toBe('4500');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('')).toBe('');
  });

  it('neutralises a formula sign at the start, also after spaces and control characters a spreadsheet skips', () => {
    for (const [cell, written] of [
      ['=1+1', "'=1+1"],
      ['+1', "'+1"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      [' =1+1', "' =1+1"],
      ['   -2', "'   -2"],
      ['\u00A0=1', "'\u00A0=1"],
      ['\u0007=1', "'\u0007=1"],
      ['\u001b+1', "'\u001b+1"],
    ]) {
      expect(csvCell(cell as string), JSON.stringify(cell)).toBe(written);
    }
  });

  it('neutralises a cell that begins with a tab or a line break, and quotes it', () => {
    expect(csvCell('\t=1+1')).toBe(`"'\t=1+1"`);
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvCell('\nplain')).toBe(`"'\nplain"`);
    expect(csvCell('\tplain')).toBe(`"'\tplain"`);
  });

  it('quotes a cell holding a separator a spreadsheet may split on, a quote or a line break, so that it stays one cell', () => {
    expect(csvCell(';=1+1')).toBe('";=1+1"');
    expect(csvCell('a,=1+1')).toBe('"a,=1+1"');
    expect(csvCell('a\t=1+1')).toBe('"a\t=1+1"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("https://evil.example")')).toBe(`"'=HYPERLINK(""https://evil.example"")"`);
  });

  it('leaves a formula sign inside the text alone', () => {
    expect(csvCell('1+1=2')).toBe('1+1=2');
    expect(csvCell('mail me@example.org')).toBe('mail me@example.org');
  });

  it('writes a record as one line', () => {
    expect(csvRecord(['=a', 7, 'b,c', ''])).toBe(`'=a,7,"b,c",\n`);
  });
});
