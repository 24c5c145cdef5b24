// mapRecords on decoded requests (decodeOtlpJson, as the decoder thread runs it): what a resource may claim,
// and how long a request takes whatever its resource holds.
import { describe, expect, it } from 'vitest';
import { mapRecords, TELEMETRY_EVENT } from './hub-records.ts';
import { decodeOtlpJson } from './otlp-json.ts';
import type { AttrValue, LogRecordIn } from './otlp-logs.ts';

const withResource = (attributes: unknown[], records: unknown[] = []) =>
  decodeOtlpJson(
    JSON.stringify({ resourceLogs: [{ resource: { attributes }, scopeLogs: [{ logRecords: records }] }] }),
  );

describe('mapRecords', () => {
  it.each([
    ['another machine', { stringValue: 'desktop' }, 'ctm.machine="desktop"'],
    ['a number', { intValue: '7' }, 'ctm.machine=7 (not a string)'],
    ['a boolean', { boolValue: true }, 'ctm.machine=true (not a string)'],
    ['a list', { arrayValue: { values: [{ stringValue: 'laptop' }] } }, 'ctm.machine=a list (not a string)'],
    ['a key-value list', { kvlistValue: { values: [] } }, 'ctm.machine=a key-value list (not a string)'],
  ])('refuses a resource claiming %s as its machine, naming it', (_, value, named) => {
    expect(mapRecords(withResource([{ key: 'ctm.machine', value }]), 'laptop')).toEqual({
      ok: false,
      forbidden: `this token belongs to machine "laptop"; records of ${named} are refused`,
    });
  });

  it('names at most 64 characters of a claimed machine, control characters escaped', () => {
    const claim = '\u001b[2J\r\n../../' + 'x'.repeat(8 << 20);
    const mapped = mapRecords(
      withResource([{ key: 'ctm.machine', value: { stringValue: claim } }]),
      'laptop',
    );
    expect(mapped).toEqual({
      ok: false,
      forbidden: `this token belongs to machine "laptop"; records of ctm.machine="\\x1b[2J\\x0d\\x0a../../${'x'.repeat(42)}…" are refused`,
    });
  });

  it("takes a resource claiming the token's machine, or none", () => {
    expect(
      mapRecords(withResource([{ key: 'ctm.machine', value: { stringValue: 'laptop' } }]), 'laptop').ok,
    ).toBe(true);
    expect(mapRecords(withResource([{ key: 'ctm.machine', value: {} }]), 'laptop').ok).toBe(true);
  });
});

describe('mapRecords on telemetry', () => {
  const apiRequest = (i: number, attrs: Record<string, AttrValue> = {}): LogRecordIn => ({
    timeMs: Date.UTC(2026, 0, 1) + i,
    observedMs: null,
    eventName: TELEMETRY_EVENT,
    body: null,
    attrs: new Map(
      Object.entries({
        'session.id': 's',
        request_id: `req_${i}`,
        input_tokens: 1,
        output_tokens: 2,
        ...attrs,
      }),
    ),
  });

  it("reads a record's attribute, else its resource's", () => {
    const resource = new Map<string, AttrValue>([
      ['model', 'claude-sonnet-4-5'],
      ['user.email', 'ana@example.org'],
      ['app.version', '2.1.0'],
    ]);
    const records = [apiRequest(1), apiRequest(2, { 'user.email': 'bo@example.org', 'app.version': null })];
    const mapped = mapRecords([{ attrs: resource, records, skipped: 0 }], 'laptop', Date.UTC(2026, 0, 2));
    if (!mapped.ok) throw new Error(mapped.forbidden);
    expect(mapped.batch.usage.map((u) => [u.model, u.user, u.version])).toEqual([
      ['claude-sonnet-4-5', 'ana@example.org', '2.1.0'],
      // A record's own value wins, an empty one too.
      ['claude-sonnet-4-5', 'bo@example.org', null],
    ]);
  });

  it("does not copy a resource's attributes for every record: 20,000 of them over 2,000 records in well under the 4 s copying took", () => {
    // Copying them per record (20,000 x 2,000 map inserts) took about 4 s.
    const resource = new Map<string, AttrValue>(Array.from({ length: 20_000 }, (_, i) => [`a${i}`, 'x']));
    resource.set('model', 'claude-sonnet-4-5');
    const records = Array.from({ length: 2_000 }, (_, i) => apiRequest(i));
    const start = performance.now();
    const mapped = mapRecords([{ attrs: resource, records, skipped: 0 }], 'laptop', Date.UTC(2026, 0, 2));
    // About 10 ms now; the bound leaves a loaded machine room and still fails the copying code.
    expect(performance.now() - start).toBeLessThan(1500);
    expect(mapped.ok && mapped.batch.usage.length).toBe(2_000);
  });
});
