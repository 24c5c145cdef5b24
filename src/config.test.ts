import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  expandHome,
  loadConfig,
  loadStatuslineConfig,
  parseCron,
  resolveClaudeDirs,
  systemTimezone,
} from './config.ts';

const home = '/home/tester';

describe('Claude dirs', () => {
  it('default: ~/.config/claude then ~/.claude under the given home', () => {
    expect(resolveClaudeDirs({}, undefined, home)).toEqual({
      claudeDirs: ['/home/tester/.config/claude', '/home/tester/.claude'],
      claudeDirsSource: 'default',
    });
  });

  it('CTM_CLAUDE_DIR: comma list, ~ expanded, blanks dropped, duplicates removed, wins over CLAUDE_CONFIG_DIR', () => {
    const env = { CTM_CLAUDE_DIR: ' ~/a , /x/b,,~/a/, /x/b ', CLAUDE_CONFIG_DIR: '/ignored' };
    expect(resolveClaudeDirs(env, undefined, home)).toEqual({
      claudeDirs: ['/home/tester/a', '/x/b'],
      claudeDirsSource: 'CTM_CLAUDE_DIR',
    });
  });

  it('CLAUDE_CONFIG_DIR when CTM_CLAUDE_DIR is unset or blank', () => {
    for (const CTM_CLAUDE_DIR of [undefined, '  ']) {
      expect(resolveClaudeDirs({ CTM_CLAUDE_DIR, CLAUDE_CONFIG_DIR: '~,/y' }, undefined, home)).toEqual({
        claudeDirs: ['/home/tester', '/y'],
        claudeDirsSource: 'CLAUDE_CONFIG_DIR',
      });
    }
  });

  it('the --claude-dir flag counts as CTM_CLAUDE_DIR', () => {
    expect(resolveClaudeDirs({ CLAUDE_CONFIG_DIR: '/y' }, '/flag', home).claudeDirs).toEqual(['/flag']);
  });

  it('expandHome', () => {
    expect(expandHome('~', home)).toBe(home);
    expect(expandHome('~/x', home)).toBe('/home/tester/x');
    expect(expandHome('~other/x', home)).toBe('~other/x');
    expect(expandHome('/abs', home)).toBe('/abs');
  });
});

describe('loadConfig', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['sunday', 0],
    ['Monday', 1],
    [' SAT ', 6],
    ['wed', 3],
  ] as const)('CTM_WEEK_START=%j is weekday %i (Sunday 0); the flag wins', (value, day) => {
    expect(loadConfig({ CTM_TZ: 'UTC', CTM_WEEK_START: value }, {}, home).weekStart).toBe(day);
    expect(
      loadConfig({ CTM_TZ: 'UTC', CTM_WEEK_START: 'friday' }, { startOfWeek: value }, home).weekStart,
    ).toBe(value === undefined ? 5 : day);
  });

  it('defaults', () => {
    const c = loadConfig({ CTM_TZ: 'UTC' }, {}, home);
    expect(c).toMatchObject({
      dataDir: `${process.cwd()}/data`,
      dbPath: `${process.cwd()}/data/ctm.db`,
      timezone: 'UTC',
      pricingFile: undefined,
      costMode: 'auto',
      host: '127.0.0.1',
      port: 51888,
      logLevel: 'info',
      rebuildCron: '0 * * * *',
      snapshotCron: '5 0 * * *',
      snapshotKeep: 30,
      tokenLimit: 'max',
      rescanSeconds: 60,
      weekStart: 1,
    });
  });

  it('empty values mean the default', () => {
    const c = loadConfig({ CTM_DATA_DIR: '', CTM_HOST: ' ', CTM_PORT: '', CTM_TZ: 'UTC' }, {}, home);
    expect(c.dataDir).toBe(`${process.cwd()}/data`);
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(51888);
  });

  it('reads every setting, ~ expanded; flags win over env', () => {
    const c = loadConfig(
      {
        CTM_DATA_DIR: '~/d',
        CTM_TZ: 'Asia/Tokyo',
        CTM_PRICING_FILE: '~/p.json',
        CTM_COST_MODE: 'Calculate',
        CTM_PORT: '8080',
        CTM_HOST: '0.0.0.0',
        CTM_LOG_LEVEL: 'debug',
        CTM_REBUILD_CRON: '*/15 * * * *',
        CTM_SNAPSHOT_CRON: 'off',
        CTM_SNAPSHOT_KEEP: '7',
        CTM_TOKEN_LIMIT: '500000',
        CTM_RESCAN_SECONDS: '5',
      },
      {},
      home,
    );
    expect(c).toMatchObject({
      dataDir: '/home/tester/d',
      dbPath: '/home/tester/d/ctm.db',
      timezone: 'Asia/Tokyo',
      pricingFile: '/home/tester/p.json',
      costMode: 'calculate',
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      rebuildCron: '*/15 * * * *',
      snapshotCron: 'off',
      snapshotKeep: 7,
      tokenLimit: 500000,
      rescanSeconds: 5,
    });
    const f = loadConfig(
      { CTM_TZ: 'Asia/Tokyo', CTM_DATA_DIR: '/e' },
      { timezone: 'Europe/Berlin', dataDir: '/f' },
      home,
    );
    expect([f.timezone, f.dataDir]).toEqual(['Europe/Berlin', '/f']);
  });

  it("CTM_TZ unset: the machine's zone (TZ, else /etc/localtime; else Intl's answer)", () => {
    expect(loadConfig({ TZ: 'UTC' }, {}, home).timezone).toBe('UTC');
    expect(loadConfig({}, {}, home).timezone).toBe(
      systemTimezone({}) ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
  });

  it("CTM_TZ=local and --timezone local (ccusage's word): the machine's zone, as when unset", () => {
    for (const env of [
      { TZ: 'Asia/Tokyo', CTM_TZ: 'local' },
      { TZ: 'Asia/Tokyo', CTM_TZ: ' Local ' },
    ])
      expect(loadConfig(env, {}, home).timezone).toBe('Asia/Tokyo');
    expect(loadConfig({ TZ: 'Asia/Tokyo', CTM_TZ: 'UTC' }, { timezone: 'local' }, home).timezone).toBe(
      'Asia/Tokyo',
    );
    expect(loadStatuslineConfig({ TZ: 'Asia/Tokyo', CTM_TZ: 'local' }).timezone).toBe('Asia/Tokyo');
  });

  it("CTM_TZ unset: TZ of the environment given, as Intl would read it (an alias is Intl's to resolve)", () => {
    expect(loadConfig({ TZ: 'Asia/Tokyo' }, {}, home).timezone).toBe('Asia/Tokyo');
    expect(loadConfig({ TZ: 'Etc/UTC' }, {}, home).timezone).toBe('UTC');
    expect(loadConfig({ TZ: 'Asia/Tokyo', CTM_TZ: ' ' }, {}, home).timezone).toBe('Asia/Tokyo');
    // Not a listed name: the process's own zone decides, as before (UTC in tests).
    expect(loadConfig({ TZ: 'CET-1CEST' }, {}, home).timezone).toBe(
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
  });

  it.each<[string, Record<string, string>, Record<string, string>?]>([
    ['CTM_TZ', { CTM_TZ: 'Mars/Olympus' }],
    ['--timezone', {}, { timezone: 'Nowhere/Town' }],
    ['CTM_PORT', { CTM_PORT: 'abc' }],
    ['CTM_PORT', { CTM_PORT: '0' }],
    ['CTM_PORT', { CTM_PORT: '70000' }],
    ['CTM_PORT', { CTM_PORT: '80.5' }],
    ['CTM_PORT', { CTM_PORT: '-1' }],
    ['CTM_COST_MODE', { CTM_COST_MODE: 'cheap' }],
    ['CTM_LOG_LEVEL', { CTM_LOG_LEVEL: 'loud' }],
    ['CTM_REBUILD_CRON', { CTM_REBUILD_CRON: 'every hour' }],
    ['CTM_REBUILD_CRON', { CTM_REBUILD_CRON: '* * * *' }],
    ['CTM_REBUILD_CRON', { CTM_REBUILD_CRON: '61 * * * *' }],
    ['CTM_REBUILD_CRON', { CTM_REBUILD_CRON: '0 24 * * *' }],
    ['CTM_SNAPSHOT_CRON', { CTM_SNAPSHOT_CRON: '0 0 32 * *' }],
    ['CTM_SNAPSHOT_CRON', { CTM_SNAPSHOT_CRON: '0 0 * 13 *' }],
    ['CTM_SNAPSHOT_CRON', { CTM_SNAPSHOT_CRON: '0 0 * * 8' }],
    ['CTM_SNAPSHOT_CRON', { CTM_SNAPSHOT_CRON: '0 0 0 * *' }],
    ['CTM_SNAPSHOT_CRON', { CTM_SNAPSHOT_CRON: '5-1 * * * *' }],
    ['CTM_SNAPSHOT_CRON', { CTM_SNAPSHOT_CRON: '*/0 * * * *' }],
    ['CTM_SNAPSHOT_KEEP', { CTM_SNAPSHOT_KEEP: '0' }],
    ['CTM_TOKEN_LIMIT', { CTM_TOKEN_LIMIT: 'lots' }],
    ['CTM_TOKEN_LIMIT', { CTM_TOKEN_LIMIT: '0' }],
    ['CTM_RESCAN_SECONDS', { CTM_RESCAN_SECONDS: '0' }],
    ['CTM_WEEK_START', { CTM_WEEK_START: 'mo' }],
    ['CTM_WEEK_START', { CTM_WEEK_START: '1' }],
    ['--start-of-week', { CTM_WEEK_START: 'sunday' }, { startOfWeek: 'someday' }],
    ['CTM_HOST', { CTM_HOST: 'http://localhost' }],
    ['CTM_HOST', { CTM_HOST: 'my host' }],
    ['CTM_HOST', { CTM_HOST: '127.0.0.1:8080' }],
    ['--host', {}, { host: 'bad_-.' }],
    ['CTM_ALLOWED_HOSTS', { CTM_ALLOWED_HOSTS: 'ok.example, https://ctm.example.org' }],
    ['CTM_ALLOWED_HOSTS', { CTM_ALLOWED_HOSTS: 'ctm.example.org:443' }],
  ])('%s bad value %j → ConfigError naming it', (setting, env, flags) => {
    let error: unknown;
    try {
      loadConfig({ CTM_TZ: 'UTC', ...env }, flags ?? {}, home);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(setting);
    expect((error as Error).message.startsWith(`${setting}: `)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it.each([
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['0.0.0.0', '0.0.0.0'],
    ['localhost', 'localhost'],
    ['app', 'app'],
    ['ctm.example.org', 'ctm.example.org'],
  ])('CTM_HOST %s is accepted as %s without a DNS look-up', (value, host) => {
    expect(loadConfig({ CTM_TZ: 'UTC', CTM_HOST: value }, {}, home).host).toBe(host);
  });

  it('CTM_ALLOWED_HOSTS: commas or spaces, lower-cased, trailing dots and duplicates dropped', () => {
    const env = { CTM_TZ: 'UTC', CTM_ALLOWED_HOSTS: ' CTM.example.org., *.lan  app,app ' };
    expect(loadConfig(env, {}, home).allowedHosts).toEqual(['ctm.example.org', '*.lan', 'app']);
    expect(loadConfig({ CTM_TZ: 'UTC' }, {}, home).allowedHosts).toEqual([]);
  });

  it.each([
    '0 * * * *',
    '*/5 * * * *',
    '0 9-17 * * 1-5',
    '0,30 * * * *',
    '30 5 0 1 1 *',
    '0 0 * * 7',
    '0 9 * * mon-fri',
    '0 0 1 jan,jul *',
    'off',
  ])('cron %s is accepted', (expr) => {
    expect(parseCron(expr, 'X', '0 * * * *')).toBe(expr);
  });
});
