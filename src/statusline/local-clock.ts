// Calendar parts of an instant in the configured zone, two ways: Date's getters, which follow the process's
// TZ (a one-shot status-line process sets TZ and pays no Intl formatter: building one alone costs 15–60 ms),
// and an Intl formatter for a long-running process (`ctm start`) whose TZ must stay as it is.
export interface LocalParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
}

export type LocalClock = (ts: number) => LocalParts;

/** Follows process.env.TZ, which the caller has set to the configured zone. */
export const dateClock: LocalClock = (ts) => {
  const d = new Date(ts);
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    weekday: d.getDay(),
  };
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function intlClock(timeZone: string): LocalClock {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
    hourCycle: 'h23',
  });
  return (ts) => {
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(ts)) p[part.type] = part.value;
    return {
      year: Number(p.year),
      month: Number(p.month),
      day: Number(p.day),
      hour: Number(p.hour),
      minute: Number(p.minute),
      weekday: WEEKDAYS.indexOf(p.weekday!),
    };
  };
}

/** YYYY-MM-DD */
export function dayOf(p: LocalParts): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}`;
}
