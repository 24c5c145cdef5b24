// The command line of `ctm report`, parsed without running a report: ctm's flags and ccusage's spellings of
// them, the errors (each names the flag as typed) and the usage texts of --help.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import {
  booleanValues,
  joinProjectValue,
  parseDateFlag,
  parseReportArgs,
  reportHelp,
} from './report-args.ts';
import { UsageError } from './usage-error.ts';

const parse = (...args: string[]) => parseReportArgs(args);

describe('parseReportArgs', () => {
  it('defaults: asc, the week start left to CTM_WEEK_START, nothing else set', () => {
    expect(parse('daily')).toEqual({
      kind: 'daily',
      help: false,
      json: false,
      csv: false,
      breakdown: false,
      noCost: false,
      since: undefined,
      until: undefined,
      last: undefined,
      timezone: undefined,
      costMode: undefined,
      order: 'asc',
      weekStartsOn: undefined,
      project: undefined,
      tokenLimit: undefined,
      dataDir: undefined,
      machine: undefined,
      user: undefined,
      by: undefined,
    });
  });

  it("ctm's long flags", () => {
    expect(
      parse(
        'weekly',
        '--json',
        '--since',
        '2026-03-01',
        '--until',
        '2026-03-31',
        '--timezone',
        'Asia/Tokyo',
        '--breakdown',
        '--cost-mode',
        'calculate',
        '--order',
        'desc',
        '--start-of-week',
        'monday',
        '--project',
        'repo',
        '--data-dir',
        '/tmp/d',
      ),
    ).toMatchObject({
      kind: 'weekly',
      json: true,
      csv: false,
      since: '2026-03-01',
      until: '2026-03-31',
      timezone: 'Asia/Tokyo',
      breakdown: true,
      costMode: 'calculate',
      order: 'desc',
      weekStartsOn: 1,
      project: { value: 'repo', flag: '--project' },
      dataDir: '/tmp/d',
    });
  });

  it("ccusage's spellings: -j -s -u (YYYYMMDD) -z -b -m -o -w -p -t", () => {
    expect(
      parse(
        'blocks',
        '-j',
        '-s',
        '20260301',
        '-u',
        '20260331',
        '-z',
        'UTC',
        '-b',
        '-m',
        'display',
        '-o',
        'desc',
        '-w',
        'saturday',
        '-p',
        'repo',
        '-t',
        '500000',
      ),
    ).toMatchObject({
      json: true,
      csv: false,
      since: '2026-03-01',
      until: '2026-03-31',
      timezone: 'UTC',
      breakdown: true,
      costMode: 'display',
      order: 'desc',
      weekStartsOn: 6,
      project: { value: 'repo', flag: '-p' },
      tokenLimit: 500_000,
    });
    expect(parse('blocks', '--token-limit', 'max').tokenLimit).toBe('max');
  });

  it('-t 0 (and 00) is a limit of 0 tokens, as ccusage takes it', () => {
    expect(parse('blocks', '-t', '0').tokenLimit).toBe(0);
    expect(parse('blocks', '--token-limit', '00').tokenLimit).toBe(0);
  });

  it("--timezone local and -z local (as ccusage): left for loadConfig to resolve to the machine's zone", () => {
    expect(parse('daily', '--timezone', 'local').timezone).toBe('local');
    expect(parse('daily', '-z', 'local').timezone).toBe('local');
  });

  it('--mode is --cost-mode; of both, the last one typed wins', () => {
    expect(parse('daily', '--mode', 'calculate').costMode).toBe('calculate');
    expect(parse('daily', '--cost-mode', 'calculate', '--mode', 'display').costMode).toBe('display');
    expect(parse('daily', '-m', 'display', '--cost-mode', 'auto').costMode).toBe('auto');
    expect(parse('daily', '--mode', ' Calculate ').costMode).toBe('calculate');
  });

  it('--offline, -O and --no-offline are accepted and change nothing', () => {
    const plain = parse('daily', '--json');
    for (const flag of ['--offline', '-O', '--no-offline'])
      expect(parse('daily', '--json', flag)).toEqual(plain);
  });

  it("ccusage's display switches (--color, --no-color, --compact, --single-thread, -d/--debug) are accepted and change nothing", () => {
    const plain = parse('daily', '--json');
    for (const flag of ['--color', '--no-color', '--compact', '--single-thread', '-d', '--debug'])
      expect(parse('daily', '--json', flag)).toEqual(plain);
  });

  it.each([
    ['--json', 'json'],
    ['-j', 'json'],
    ['--csv', 'csv'],
    ['--breakdown', 'breakdown'],
    ['-b', 'breakdown'],
    ['--no-cost', 'noCost'],
    ['--help', 'help'],
    ['-h', 'help'],
  ] as const)('%s=true|false|1|0 (any case) sets %s as written; the last one typed wins', (flag, key) => {
    for (const v of ['true', 'TRUE', '1']) expect(parse('daily', `${flag}=${v}`)[key]).toBe(true);
    for (const v of ['false', 'False', '0']) expect(parse('daily', `${flag}=${v}`)[key]).toBe(false);
    expect(parse('daily', flag, `${flag}=false`)[key]).toBe(false);
    expect(parse('daily', `${flag}=0`, flag)[key]).toBe(true);
  });

  it('=true|false|1|0 on the switches that change nothing (-O, --offline, --no-offline, --color, …) too', () => {
    const plain = parse('daily', '--json');
    for (const flag of ['--offline', '-O', '--no-offline', '--color', '--no-color', '--compact', '-d'])
      for (const v of ['true', 'false', '1', '0'])
        expect(parse('daily', '--json', `${flag}=${v}`)).toEqual(plain);
    expect(parse('daily', '--json=true', '--csv=false')).toMatchObject({ json: true, csv: false });
  });

  it.each([
    ['sunday', 0],
    ['monday', 1],
    ['tuesday', 2],
    ['wednesday', 3],
    ['thursday', 4],
    ['friday', 5],
    ['Saturday', 6],
  ])('--start-of-week %s', (day, n) => {
    expect(parse('weekly', '--start-of-week', day).weekStartsOn).toBe(n);
  });

  it('--last N: a whole number from 1 up', () => {
    expect(parse('daily', '--last', '7').last).toBe(7);
    expect(parse('session', '--last', '1').last).toBe(1);
  });

  it('--since equal to --until is one day', () => {
    expect(parse('daily', '-s', '20260301', '--until', '2026-03-01')).toMatchObject({
      since: '2026-03-01',
      until: '2026-03-01',
    });
  });

  it('a project key starting with "-" is the value of --project / -p', () => {
    expect(parse('daily', '--project', '-home-me-repo').project).toEqual({
      value: '-home-me-repo',
      flag: '--project',
    });
    expect(parse('daily', '-p', '-home-me-repo', '-j')).toMatchObject({
      project: { value: '-home-me-repo', flag: '-p' },
      json: true,
      csv: false,
    });
  });

  it('--help and -h, with or without a kind, skip every other check', () => {
    expect(parse('--help')).toMatchObject({ help: true, kind: undefined });
    expect(parse('daily', '-h')).toMatchObject({ help: true, kind: 'daily' });
    expect(parse('weekly', '--since', 'nonsense', '--help')).toMatchObject({ help: true, kind: 'weekly' });
  });
});

describe('parseReportArgs errors: one line naming the flag as typed', () => {
  it.each<[string[], string]>([
    [[], 'report: which report? one of daily, weekly, monthly, session, blocks (see `ctm report --help`)'],
    [
      ['weird'],
      'report: unknown report "weird", expected one of daily, weekly, monthly, session, blocks (see `ctm report --help`)',
    ],
    [['daily', 'extra'], 'report: unexpected argument "extra" (see `ctm report daily --help`)'],
    [['daily', '--bogus'], 'report: unknown option --bogus (see `ctm report daily --help`)'],
    [['daily', '--json', '--csv'], 'report: --json and --csv: choose one (see `ctm report daily --help`)'],
    [['daily', '--json=yes'], '--json: expected true, false, 1 or 0, got "yes"'],
    [['daily', '-b='], '-b: expected true, false, 1 or 0, got ""'],
    [
      ['daily', '--', '--json=true'],
      'report: unexpected argument "--json=true" (see `ctm report daily --help`)',
    ],
    [['blocks', '--csv', '-j'], 'report: -j and --csv: choose one (see `ctm report blocks --help`)'],
    [['-x'], 'report: unknown option -x (see `ctm report --help`)'],
    [['session', '--since'], '--since: needs a value (see `ctm report session --help`)'],
    [['daily', '--since', 'March'], '--since: expected YYYY-MM-DD or YYYYMMDD, got "March"'],
    [['daily', '-s', '2026-02-30'], '-s: expected YYYY-MM-DD or YYYYMMDD, got "2026-02-30"'],
    [['daily', '-u', '2026031'], '-u: expected YYYY-MM-DD or YYYYMMDD, got "2026031"'],
    [
      ['daily', '--since', '2026-03-02', '--until', '2026-03-01'],
      '--since 2026-03-02 is after --until 2026-03-01',
    ],
    [['daily', '-s', '20260302', '-u', '20260301'], '-s 2026-03-02 is after -u 2026-03-01'],
    [['daily', '--last', '0'], '--last: expected a whole number from 1 up, got "0"'],
    [['daily', '--last', 'week'], '--last: expected a whole number from 1 up, got "week"'],
    [['daily', '--mode', 'free'], '--mode: expected one of auto, calculate, display, got "free"'],
    [['daily', '-m', 'free'], '-m: expected one of auto, calculate, display, got "free"'],
    [['daily', '--cost-mode', 'free'], '--cost-mode: expected one of auto, calculate, display, got "free"'],
    [['daily', '--order', 'newest'], '--order: expected asc or desc, got "newest"'],
    [['daily', '-o', 'up'], '-o: expected asc or desc, got "up"'],
    [
      ['weekly', '-w', 'Funday'],
      '-w: expected one of sunday, monday, tuesday, wednesday, thursday, friday, saturday, got "Funday"',
    ],
  ])('%j', (args, message) => {
    expect(() => parseReportArgs(args)).toThrow(new UsageError(message));
  });

  it.each<[string[], RegExp]>([
    [['daily', '-z', 'Mars/Base'], /^-z: unknown timezone "Mars\/Base"/],
    [['daily', '--timezone', 'Mars/Base'], /^--timezone: unknown timezone "Mars\/Base"/],
    [['blocks', '-t', 'lots'], /^-t: expected a positive number of tokens or "max", got "lots"$/],
    [['blocks', '--token-limit', '1.5'], /^--token-limit: expected a positive number/],
  ])('%j (a setting checked as config.ts checks it)', (args, message) => {
    expect(() => parseReportArgs(args)).toThrow(ConfigError);
    expect(() => parseReportArgs(args)).toThrow(message);
  });
});

describe('reportHelp', () => {
  it('ctm report --help: every option once, the kinds an option is for named', () => {
    const text = reportHelp();
    expect(text).toMatch(/^Usage: ctm report <daily\|weekly\|monthly\|session\|blocks> \[options\]\n/);
    for (const flag of [
      '-j, --json',
      '--csv',
      '-s, --since DATE',
      '-u, --until DATE',
      '--last N',
      '-z, --timezone TZ',
      '-p, --project NAME',
      '-b, --breakdown',
      '-m, --mode MODE',
      '--cost-mode MODE',
      '-o, --order asc|desc',
      '-w, --start-of-week DAY',
      '-t, --token-limit N|max',
      '-O, --offline',
      '--no-offline',
      '--data-dir DIR',
      '-h, --help',
    ])
      expect(text.split('\n').filter((l) => l.trimStart().startsWith(flag))).toHaveLength(1);
    expect(text).toMatch(/--start-of-week DAY .*\(weekly\)$/m);
    expect(text).toMatch(/--token-limit N\|max .*\(blocks\)$/m);
    expect(text).toContain('`ctm report <kind> --help`');
  });

  it('ctm report <kind> --help: that report’s options only, --last in its own words', () => {
    const daily = reportHelp('daily');
    expect(daily).toMatch(/^Usage: ctm report daily \[options\]\n\nUsage and cost per local day\.\n/);
    expect(daily).toMatch(/--last N +the last N days, counting today \(1 = today\)$/m);
    expect(daily).not.toContain('--token-limit');
    expect(daily).not.toContain('--start-of-week');
    expect(reportHelp('weekly')).toMatch(/--last N +the last N weeks, counting this one/);
    expect(reportHelp('weekly')).toContain('-w, --start-of-week DAY');
    expect(reportHelp('monthly')).toMatch(/--last N +the last N months/);
    expect(reportHelp('session')).toMatch(/--last N +the N sessions with the latest activity/);
    const blocks = reportHelp('blocks');
    expect(blocks).toContain('-t, --token-limit N|max');
    expect(blocks).not.toContain('--breakdown');
    for (const text of [daily, blocks])
      expect(text.split('\n').filter((l) => l.includes('--last'))).toHaveLength(1);
  });
});

describe('booleanValues', () => {
  it('takes the value off a boolean flag, kept by the position of what is left; other arguments as they are', () => {
    const booleans = new Set(['--json', '-j']);
    expect(
      booleanValues(['daily', '-j=1', '--since=2026-03-01', '--json=false', '--', '-j=0'], booleans),
    ).toEqual({
      args: ['daily', '-j', '--since=2026-03-01', '--json', '--', '-j=0'],
      values: new Map([
        [1, true],
        [3, false],
      ]),
    });
  });
});

describe('parseDateFlag and joinProjectValue', () => {
  it.each([
    ['2026-03-01', '2026-03-01'],
    ['20260301', '2026-03-01'],
    ['2028-02-29', '2028-02-29'],
  ])('%s → %s', (input, iso) => {
    expect(parseDateFlag(input, '--since')).toBe(iso);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-3-1', '01-03-2026', ''])('rejects %j', (input) => {
    expect(() => parseDateFlag(input, '--until')).toThrow(/^--until: expected YYYY-MM-DD or YYYYMMDD/);
  });

  it('leaves other arguments and "--" alone', () => {
    expect(joinProjectValue(['daily', '--project', '--', '-j'])).toEqual(['daily', '--project', '--', '-j']);
    expect(joinProjectValue(['daily', '-p', 'repo'])).toEqual(['daily', '-p', 'repo']);
    expect(joinProjectValue(['daily', '-p', '-x'])).toEqual(['daily', '-p-x']);
    expect(joinProjectValue(['daily', '--project', '-x'])).toEqual(['daily', '--project=-x']);
  });
});
