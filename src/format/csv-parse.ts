// Reads back what csv.ts writes (RFC 4180: quoted fields, doubled quotes, CRLF line ends), for tests and for
// scripts that check an export. Strict: a stray quote or a missing final CRLF is an error, not a guess.

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`csv: unclosed quote at ${i}`);
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const m = /[",\r\n]/g;
      m.lastIndex = i;
      const hit = m.exec(text);
      const end = hit ? hit.index : text.length;
      if (text[end] === '"') throw new Error(`csv: quote inside an unquoted field at ${end}`);
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`csv: expected a comma or CRLF at ${i}`);
  }
  if (row.length) throw new Error('csv: the last line has no CRLF');
  return rows;
}
