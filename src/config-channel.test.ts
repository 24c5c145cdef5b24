// The config channel: every setting a parent has (flags included) comes back whole in a child, through a real
// child process too; a missing or damaged config stops the child with one line naming CTM_CONFIG.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { loadConfig } from './config.ts';
import { CONFIG_ENV, childEnv, inheritedConfig } from './config-channel.ts';

const full = loadConfig(
  {
    CTM_CLAUDE_DIR: '/a/claude, /b/claude',
    CTM_DATA_DIR: '/data/ctm',
    CTM_PRICING_FILE: '/etc/prices.json',
    CTM_COST_MODE: 'display',
    CTM_ALLOWED_HOSTS: 'ctm.lan,*.example.org',
    CTM_LOG_LEVEL: 'debug',
    CTM_REBUILD_CRON: 'off',
    CTM_SNAPSHOT_KEEP: '7',
    CTM_TOKEN_LIMIT: '500000',
    CTM_RESCAN_SECONDS: '5',
    CTM_WEEK_START: 'sunday',
  },
  { timezone: 'Europe/Berlin', port: '51999', host: '0.0.0.0' },
  '/home/me',
);
const defaults = loadConfig({}, {}, '/home/me');

describe('the config channel', () => {
  it.each([
    ['every setting given', full],
    ['the defaults', defaults],
  ])('round-trips %s', (_, config) => {
    expect(inheritedConfig(childEnv(config, { PATH: '/bin' }))).toEqual(config);
  });

  it('reaches a real child process as it was', () => {
    const script = `import { inheritedConfig } from ${JSON.stringify(new URL('./config-channel.ts', import.meta.url).href)};
      process.stdout.write(JSON.stringify(inheritedConfig(process.env)));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: childEnv(full, { PATH: process.env.PATH }) as NodeJS.ProcessEnv,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual(full);
  });

  it.each([
    [{}, /^CTM_CONFIG: missing/],
    [{ [CONFIG_ENV]: '{"dataDir":' }, /^CTM_CONFIG: not JSON/],
    [{ [CONFIG_ENV]: JSON.stringify({ ...defaults, costMode: 'cheap' }) }, /^CTM_CONFIG: costMode: /],
    [{ [CONFIG_ENV]: JSON.stringify({ ...defaults, extra: 1 }) }, /^CTM_CONFIG: extra: /],
  ])('refuses %j', (env, message) => {
    expect(() => inheritedConfig(env)).toThrow(message);
  });
});
