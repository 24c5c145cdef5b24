// mapRecords on decoded requests (decodeOtlpJson, as the decoder thread runs it): what a resource may claim,
// and how long a request takes whatever its resource holds.
import { describe, expect, it } from 'vitest';
import { mapRecords } from './hub-records.ts';
import { decodeOtlpJson } from './otlp-json.ts';

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

  it("takes a resource claiming the token's machine, or none", () => {
    expect(
      mapRecords(withResource([{ key: 'ctm.machine', value: { stringValue: 'laptop' } }]), 'laptop').ok,
    ).toBe(true);
    expect(mapRecords(withResource([{ key: 'ctm.machine', value: {} }]), 'laptop').ok).toBe(true);
  });
});
