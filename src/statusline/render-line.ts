// The status line itself, pure: the parts of the format in order, each left out when there is nothing to
// say, joined by " · ", and ctm's notes (no index, a bad setting) at the end. Limit and context parts turn
// yellow, then red at the thresholds when colours are on. Text is made by hand, without Intl: a formatter
// costs more to build than the whole line may take. Clock times follow the process's TZ. The model name and
// the notes come from outside (stdin, settings, error messages): they are made safe for the terminal, kept on
// one line, and cut to a length a status line has room for.
import type { StatuslinePart, StatuslineSettings } from '../config.ts';
import { formatInt } from '../format/number.ts';
import { shortModel } from '../format/short-model.ts';
import { terminalSafeLine } from '../format/terminal-safe.ts';
import type { LimitWindow, StatusInput } from './status-input.ts';
import type { UsageFigures } from './usage-figures.ts';
import { dateClock, type LocalClock } from './local-clock.ts';

export interface ShownLimit extends LimitWindow {
  /** Not in this call's input: the last reading the history holds (its reset still ahead). */
  fromHistory: boolean;
}

export interface LineData {
  input: StatusInput;
  figures: UsageFigures | null;
  limits: Record<string, ShownLimit>;
  notes: string[];
  now: number;
  /** Clock times of the configured zone; Date's getters (TZ) when left out. */
  clock?: LocalClock;
}

/** Longest model name shown, and longest note. */
export const MAX_MODEL_CHARS = 64;
export const MAX_NOTE_CHARS = 240;

const RESET = '\x1b[0m';
const COLOR = { dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m' };

/** Exact to the cent below a billion dollars; beyond, where cents mean nothing (and a crafted 1e300 would
 * print 400 digits), short: $1.2B, $3.4T, then $1.0e+15. */
export function usd(n: number): string {
  if (n >= 1e9) {
    if (n < 999.95e9) return `$${(n / 1e9).toFixed(1)}B`;
    if (n < 999.95e12) return `$${(n / 1e12).toFixed(1)}T`;
    return `$${n.toExponential(1)}`;
  }
  const cents = Math.round(n * 100);
  return `$${formatInt(Math.trunc(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;
}

export function compact(n: number): string {
  if (n >= 999_950) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(Math.round(n));
}

export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h}h${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** 14:00 within a day, "Thu 14:00" further ahead. */
export function clock(ts: number, now: number, local: LocalClock = dateClock): string {
  const d = local(ts);
  const hm = `${String(d.hour).padStart(2, '0')}:${String(d.minute).padStart(2, '0')}`;
  return ts - now < 20 * 3_600_000 ? hm : `${DAYS[d.weekday]} ${hm}`;
}

const pct = (n: number): string => `${Math.round(n)}%`;

type Part = { text: string; level?: number };

function levelOf(percent: number, t: StatuslineSettings['thresholds']): number {
  return percent >= t.alert ? 2 : percent >= t.warn ? 1 : 0;
}

function limitPart(label: string, w: ShownLimit | undefined, d: LineData, withReset: boolean): Part | null {
  // A window whose reset has passed is no reading of now.
  if (!w || w.resetsAt <= d.now) return null;
  const reset = withReset ? ` (resets ${clock(w.resetsAt, d.now, d.clock)})` : '';
  return {
    text: `${label} ${w.fromHistory ? '~' : ''}${pct(w.usedPercentage)}${reset}`,
    level: w.usedPercentage,
  };
}

function part(name: StatuslinePart, d: LineData): Part | null {
  const { input, figures: f } = d;
  switch (name) {
    case 'model': {
      const m = input.modelId ? shortModel(input.modelId) : input.modelName;
      return m ? { text: terminalSafeLine(m, MAX_MODEL_CHARS) } : null;
    }
    case 'session':
      if (f?.session) return { text: `session ${f.session.partial ? '≥' : ''}${usd(f.session.cost)}` };
      // Nothing of the session in the index or its transcript: Claude Code's own estimate, said as such.
      return input.claudeCostUsd !== null
        ? { text: `session ${usd(input.claudeCostUsd)} (Claude Code)` }
        : null;
    case 'today':
      return f ? { text: `today ${usd(f.today.cost)}` } : null;
    case 'block': {
      const b = f?.block;
      if (!b) return f ? { text: 'no block' } : null;
      const rate = b.tokensPerMinute !== null ? `, ${compact(b.tokensPerMinute)} tok/min` : '';
      return { text: `block ${usd(b.cost)}, ${duration(b.remainingMinutes)} left${rate}` };
    }
    case '5h':
      return limitPart('5h', d.limits.five_hour, d, true);
    case '7d':
      return limitPart('7d', d.limits.seven_day, d, false);
    case 'spend': {
      const s = d.limits.spend_limit;
      if (!s || s.resetsAt <= d.now) return null;
      const dollars =
        s.usedUsd !== null && s.limitUsd !== null ? `${usd(s.usedUsd)}/${usd(s.limitUsd)} ` : '';
      return {
        text: `spend ${dollars}${s.fromHistory ? '~' : ''}${pct(s.usedPercentage)}`,
        level: s.usedPercentage,
      };
    }
    case 'ctx':
      return input.contextPercent !== null
        ? { text: `ctx ${pct(input.contextPercent)}`, level: input.contextPercent }
        : null;
    case 'cache': {
      const c = input.promptCache;
      // A provider that reports no cache tokens is not "cold": there is no cache to speak of.
      if (!c || c.cachingObserved !== true || c.warm === null) return null;
      if (c.warm) {
        const left =
          c.expiresAt !== null ? ` ${duration(Math.max(0, Math.floor((c.expiresAt - d.now) / 60_000)))}` : '';
        return { text: `cache warm${left}` };
      }
      return { text: `cache cold${c.lastMissCauses[0] ? `: ${c.lastMissCauses[0]}` : ''}`, level: 100 };
    }
  }
}

export function renderLine(d: LineData, s: StatuslineSettings): string {
  const paint = (color: keyof typeof COLOR, text: string) =>
    s.color ? `${COLOR[color]}${text}${RESET}` : text;
  const out: string[] = [];
  for (const name of s.format) {
    const p = part(name, d);
    if (!p) continue;
    if (name === 'model') out.push(paint('cyan', p.text));
    else if (p.level !== undefined) {
      const level = levelOf(p.level, s.thresholds);
      out.push(paint(level === 2 ? 'red' : level === 1 ? 'yellow' : 'green', p.text));
    } else out.push(p.text);
  }
  if (d.notes.length) {
    const notes = d.notes.map((n) => terminalSafeLine(n, MAX_NOTE_CHARS));
    out.push(paint('dim', `ctm: ${notes.join('; ')}`));
  }
  return out.length ? out.join(' · ') : 'ctm';
}
