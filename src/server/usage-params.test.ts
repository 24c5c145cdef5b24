import { describe, expect, it } from 'vitest';
import { ParamError, parseUsageParams } from './usage-params.ts';

const now = Date.parse('2026-03-15T10:00:00Z');
const parse = (qs: string) => parseUsageParams(new URLSearchParams(qs), { timezone: 'UTC', now });

describe('parseUsageParams', () => {
  it('defaults to the last 30 days by day in the configured timezone', () => {
    expect(parse('')).toEqual({ from: '2026-02-14', to: '2026-03-15', groupBy: 'day', tz: 'UTC' });
  });

  it('accepts every groupBy and an IANA timezone', () => {
    for (const g of ['day', 'hour', 'model', 'project', 'session', 'machine', 'user']) {
      expect(parse(`groupBy=${g}&from=2026-01-01&to=2026-01-31&tz=Europe/Berlin`)).toEqual({
        from: '2026-01-01',
        to: '2026-01-31',
        groupBy: g,
        tz: 'Europe/Berlin',
      });
    }
  });

  it('keeps a machine and a user to filter by', () => {
    expect(parse('machine=build-07&user=ana%40example.org&groupBy=user')).toEqual({
      from: '2026-02-14',
      to: '2026-03-15',
      groupBy: 'user',
      tz: 'UTC',
      machine: 'build-07',
      user: 'ana@example.org',
    });
  });

  it('keeps a project to filter by, whatever names it (a display name, a path, a key)', () => {
    expect(parse('project=%2Fhome%2Fme%2Fwork%2Fapp').project).toBe('/home/me/work/app');
    expect(parse('project=work%2Fapp').project).toBe('work/app');
  });

  it.each([
    ['project=', 'project'],
    ['from=2026-13-01', 'from'],
    ['from=2026-02-30', 'from'],
    ['to=yesterday', 'to'],
    ['from=2026-03-10&to=2026-03-01', 'from'],
    ['groupBy=week', 'groupBy'],
    ['tz=Mars/Olympus', 'tz'],
    ['tz=', 'tz'],
    ['since=2026-01-01', 'since'],
    ['from=2026-01-01&from=2026-01-02', 'from'],
    ['machine=', 'machine'],
    ['user=a%07b', 'user'],
    ['machine=a&machine=b', 'machine'],
  ])('%s → error naming %s', (qs, param) => {
    let error: unknown;
    try {
      parse(qs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParamError);
    expect((error as ParamError).param).toBe(param);
    expect((error as ParamError).message.startsWith(`${param}: `)).toBe(true);
  });

  it.each(['from', 'to', 'tz', 'groupBy', 'machine', 'project', 'x'.repeat(5000)])(
    'a long bad %s comes back cut short, not whole',
    (key) => {
      const long = 'a'.repeat(16_000);
      let error: unknown;
      try {
        parse(key.startsWith('x') ? `${key}=1` : `${key}=${long}`);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ParamError);
      expect((error as ParamError).message.length).toBeLessThan(200);
    },
  );
});
