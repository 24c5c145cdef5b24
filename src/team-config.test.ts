import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { defaultMachine, parsePushUrl } from './team-config.ts';

const base = { CTM_DATA_DIR: '/tmp/ctm-team-config' };

describe('team settings', () => {
  it('default to this host and user, no ingest and no push', () => {
    const c = loadConfig(base, {}, '/home/ana');
    expect(c.machine).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(c.user.length).toBeGreaterThan(0);
    expect(c).toMatchObject({
      ingestTokensFile: undefined,
      otlpHost: '127.0.0.1',
      otlpPort: 4318,
      ingestMaxBytes: 16 << 20,
      ingestMaxRecords: 100_000,
      ingestRate: 50,
      ingestDecodeTimeoutMs: 10_000,
      pushUrl: undefined,
      pushToken: undefined,
      pushBatch: 500,
    });
  });

  it('take flags over the environment, and the OTLP host from CTM_HOST', () => {
    const c = loadConfig(
      {
        ...base,
        CTM_MACHINE: 'desk',
        CTM_USER: 'ana@example.org',
        CTM_HOST: '0.0.0.0',
        CTM_INGEST_TOKENS: '~/t',
        CTM_PUSH_TOKEN: 'tok-0123456789abcdef',
      },
      { machine: 'laptop', push: 'https://hub.example.org:4318/v1/logs' },
      '/home/ana',
    );
    expect(c).toMatchObject({
      machine: 'laptop',
      user: 'ana@example.org',
      otlpHost: '0.0.0.0',
      ingestTokensFile: '/home/ana/t',
      pushUrl: 'https://hub.example.org:4318',
      pushToken: 'tok-0123456789abcdef',
    });
  });

  it.each([
    [{ CTM_MACHINE: 'my laptop' }, /^CTM_MACHINE: "my laptop" is not a name/],
    [{ CTM_PUSH_URL: 'https://hub:4318' }, /^CTM_PUSH_TOKEN: required with CTM_PUSH_URL/],
    [{ CTM_PUSH_URL: 'ftp://hub', CTM_PUSH_TOKEN: 'x' }, /^CTM_PUSH_URL: expected an http/],
    [
      { CTM_PUSH_URL: 'https://u:p@hub', CTM_PUSH_TOKEN: 'x' },
      /^CTM_PUSH_URL: the URL may not hold credentials/,
    ],
    [{ CTM_OTLP_PORT: '70000' }, /^CTM_OTLP_PORT: expected a number from 1 to 65535/],
    [{ CTM_INGEST_RATE: 'fast' }, /^CTM_INGEST_RATE: expected a whole number/],
    [{ CTM_INGEST_MAX_RECORDS: '0' }, /^CTM_INGEST_MAX_RECORDS: expected a number from 1 to 10000000/],
    [
      { CTM_INGEST_DECODE_TIMEOUT_MS: '50' },
      /^CTM_INGEST_DECODE_TIMEOUT_MS: expected a number from 100 to 600000/,
    ],
    [{ CTM_USER: 'a\u0007b' }, /^CTM_USER: expected a user name/],
  ])('refuse %j naming the setting', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('make a machine name of a host name and an OTLP base of an endpoint', () => {
    expect(defaultMachine('build-07.ci.example.org')).toBe('build-07');
    expect(defaultMachine('Ana’s MacBook')).toBe('Ana-s-MacBook');
    expect(parsePushUrl('https://hub.example.org/otlp/v1/logs', 'x')).toBe('https://hub.example.org/otlp');
    expect(parsePushUrl('http://10.0.0.1:4318/', 'x')).toBe('http://10.0.0.1:4318');
  });
});
