// `ctm watch`'s screen, pure: the live snapshot (the same one /api/v1/live serves, formatted by the same
// liveView as /live/) → at most `rows` lines of at most `cols` visible characters: the active block with a
// gauge, burn rate and projection, the official limits when known, today so far, then as many of the last
// requests as fit. Colours are ANSI codes added after fitting, so they never count as width. `plainLine` is
// the one-line form for a stdout that is not a terminal.
import type { LiveSnapshot } from '../server/live-snapshot.ts';
import { liveView } from '../server/live-view.ts';

type Color = 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'cyan';
/** A line as segments, each in one colour (or none). */
type Segment = [text: string, color?: Color];
type Line = Segment[];

const CODES: Record<Color, string> = {
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  cyan: '\x1b[36m',
};

export interface ScreenOptions {
  cols: number;
  rows: number;
  color: boolean;
  thresholds: { warn: number; alert: number };
}

const level = (pct: number, t: ScreenOptions['thresholds']): Color =>
  pct >= t.alert ? 'red' : pct >= t.warn ? 'yellow' : 'green';

/** Cuts segments to `cols` visible characters (an ellipsis marks the cut), then paints them. */
export function fit(line: Line, cols: number, color: boolean): string {
  let left = cols;
  let out = '';
  for (const [text, c] of line) {
    if (left <= 0) break;
    const chars = [...text];
    const cut = chars.length > left;
    const piece = cut ? chars.slice(0, Math.max(0, left - 1)).join('') + '…' : text;
    left -= cut ? left : chars.length;
    out += color && c ? `${CODES[c]}${piece}\x1b[0m` : piece;
  }
  return out;
}

function gauge(percent: number, width: number): string {
  const full = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

function limitSegments(s: LiveSnapshot, o: ScreenOptions): Line {
  const f = liveView(s).fields;
  const out: Line = [];
  for (const [label, window, key] of [
    ['5h', 'five_hour', 'limits.fiveHour'],
    ['7d', 'seven_day', 'limits.sevenDay'],
    ['spend', 'spend_limit', 'limits.spend'],
  ] as const) {
    const w = s.officialLimits?.windows.find((x) => x.window === window);
    if (!w) continue;
    if (out.length) out.push([' · ']);
    out.push([
      `${label} ${f[key]!.replace(' · resets ', ', resets ')}`,
      w.current ? level(w.usedPercentage, o.thresholds) : 'dim',
    ]);
  }
  return out;
}

export function watchScreen(s: LiveSnapshot, o: ScreenOptions): string[] {
  const v = liveView(s);
  const f = v.fields;
  const b = s.activeBlock;
  const lines: Line[] = [];
  const clock = f['fresh.generated'] ?? '';
  const head = `ctm watch · ${clock} ${s.timezone}`;
  const hint = 'q quits';
  lines.push([[head, 'bold'], [' '.repeat(Math.max(1, o.cols - head.length - hint.length))], [hint, 'dim']]);
  lines.push([['─'.repeat(o.cols), 'dim']]);
  if (b) {
    lines.push([[`Active block ${f['block.range']} · ${f['block.remaining']} left`, 'bold']]);
    if (b.percentOfLimit !== null) {
      const width = Math.max(10, Math.min(50, o.cols - 30));
      lines.push([
        [gauge(b.percentOfLimit, width), level(b.percentOfLimit, o.thresholds)],
        [`  ${f['block.percent']}`],
      ]);
    }
    lines.push([
      [
        `${f['block.totalTokens']} tokens · ${f['block.cost']} · ${f['block.burnRate']} · ${f['block.costRate']}`,
      ],
    ]);
    lines.push([
      [`Projected by block end: ${f['block.projection']}`],
      ...(b.projectedPercentOfLimit !== null
        ? ([
            [
              ` (${b.projectedPercentOfLimit.toFixed(0)} % of limit)`,
              level(b.projectedPercentOfLimit, o.thresholds),
            ],
          ] as Line)
        : []),
    ]);
  } else {
    lines.push([['No active block: nothing in the last five hours.', 'dim']]);
  }
  lines.push([]);
  const limits = limitSegments(s, o);
  if (limits.length) {
    lines.push([['Official limits ', 'bold'], ...limits]);
    lines.push([[`  ${f['limits.seen']}`, 'dim']]);
    lines.push([]);
  }
  lines.push([
    [`Today ${f['today.day']} `, 'bold'],
    [`${f['today.totalTokens']} tokens · ${f['today.cost']} · ${f['today.messages']} requests`],
  ]);
  lines.push([[`  ${f['today.models']}`, 'dim']]);
  lines.push([]);
  const footer: Line = [[`last ingest ${f['fresh.ingest']}`, 'dim']];
  const room = o.rows - lines.length - 3; // heading, column names, footer
  if (room > 0 && v.recent.length) {
    lines.push([['Last requests', 'bold']]);
    const cols: [string, number][] = [
      ['time', 8],
      ['model', 22],
      ['in', 7],
      ['out', 7],
      ['cache r', 10],
      ['total', 10],
      ['cost', 8],
    ];
    const row = (cells: string[]) =>
      cells.map((c, i) => (i < 2 ? c.padEnd(cols[i]![1]) : c.padStart(cols[i]![1]))).join(' ');
    lines.push([[row(cols.map(([name]) => name)), 'dim']]);
    for (const r of v.recent.slice(0, room))
      lines.push([[row([r[0]!, r[1]!, r[2]!, r[3]!, r[5]!, r[6]!, r[7]!])]]);
  }
  const fitted = lines.slice(0, Math.max(1, o.rows - 1)).map((l) => fit(l, o.cols, o.color));
  while (fitted.length < o.rows - 1) fitted.push('');
  fitted.push(fit(footer, o.cols, o.color));
  return fitted.slice(0, o.rows);
}

/** One plain line per refresh when stdout is a pipe or a file. */
export function plainLine(s: LiveSnapshot): string {
  const f = liveView(s).fields;
  const parts = [f['fresh.generated']!];
  if (s.activeBlock) {
    parts.push(
      `block ${f['block.range']} ${f['block.totalTokens']} tokens ${f['block.cost']}, ${f['block.remaining']} left, ${f['block.burnRate']}`,
    );
  } else parts.push('no active block');
  const five = s.officialLimits?.windows.find((w) => w.window === 'five_hour');
  const seven = s.officialLimits?.windows.find((w) => w.window === 'seven_day');
  const limit = (key: string) => f[key]!.replace(' · resets ', ', resets ');
  if (five) parts.push(`5h ${limit('limits.fiveHour')}`);
  if (seven) parts.push(`7d ${limit('limits.sevenDay')}`);
  parts.push(`today ${f['today.cost']} ${f['today.totalTokens']} tokens`);
  return parts.join(' · ');
}
