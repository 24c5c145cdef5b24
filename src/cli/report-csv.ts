// `ctm report … --csv`: the rows of the JSON report (daily[], weekly[], monthly[], sessions[] or blocks[]) as
// CSV, one line per period, session or block, with the JSON's field names as the header. Nested objects become
// dotted columns (tokenCounts.inputTokens, burnRate.costPerHour), lists of names one field joined by ";".
// With --breakdown, periods and sessions give one line per period (or session) and model instead: the row's
// leading text fields (date, machine, sessionId, project…) then the fields of its modelBreakdowns entry.
// The totals are not repeated: they are the sum of the rows (report-totals.ts says so of the JSON too).
import { toCsv, type CsvValue } from '../format/csv.ts';

type Json = Record<string, unknown>;

/** A row's fields as CSV columns: scalars as they are, objects flattened to dotted names, lists joined. */
function flatten(row: Json, prefix = '', out = new Map<string, CsvValue>()): Map<string, CsvValue> {
  for (const [key, value] of Object.entries(row)) {
    const name = prefix + key;
    if (Array.isArray(value)) {
      // Lists of objects (modelBreakdowns) are rows of their own, never one field.
      if (value.every((v) => v === null || typeof v !== 'object')) out.set(name, value.join(';'));
    } else if (value !== null && typeof value === 'object') flatten(value as Json, name + '.', out);
    else out.set(name, value as CsvValue);
  }
  return out;
}

/** The union of the rows' columns in first-seen order; a field null in one row and an object in another is
 * only its dotted columns. */
function columnsOf(rows: readonly Map<string, CsvValue>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of row.keys()) seen.add(key);
  const all = [...seen];
  return all.filter((c) => !all.some((d) => d.startsWith(c + '.')));
}

function table(rows: readonly Map<string, CsvValue>[]): string {
  const columns = columnsOf(rows);
  return toCsv(
    columns,
    rows.map((r) => columns.map((c) => r.get(c))),
  );
}

/** The leading text fields of a row: what names it (date, machine, sessionId, project, activity times). */
function keyFields(row: Json): [string, CsvValue][] {
  const out: [string, CsvValue][] = [];
  for (const [key, value] of Object.entries(row)) {
    if (typeof value !== 'string') break;
    out.push([key, value]);
  }
  return out;
}

/** The CSV of a report's JSON (reportJson): its first key holds the rows. */
export function reportCsv(json: Json, breakdown: boolean): string {
  const rows = Object.values(json)[0] as Json[];
  if (!breakdown || !rows.some((r) => Array.isArray(r.modelBreakdowns)))
    return table(rows.map((r) => flatten(r)));
  const lines: Map<string, CsvValue>[] = [];
  for (const row of rows) {
    const keys = keyFields(row);
    for (const model of (row.modelBreakdowns as Json[] | undefined) ?? [])
      lines.push(flatten(model, '', new Map(keys)));
  }
  return table(lines);
}
