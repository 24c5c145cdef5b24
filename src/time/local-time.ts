// Calendar buckets (day, hour) of an instant in an IANA timezone. Offsets of every real timezone are whole
// quarter hours, so results are cached per 15-minute slot: a year of messages costs ~35k Intl calls at most.
export interface LocalTime {
  day: string;
  hour: number;
}

const SLOT_MS = 15 * 60 * 1000;

export function makeLocalTime(timezone: string): (tsMs: number) => LocalTime {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const cache = new Map<number, LocalTime>();
  return (tsMs: number): LocalTime => {
    const slot = Math.floor(tsMs / SLOT_MS);
    let hit = cache.get(slot);
    if (hit === undefined) {
      const parts: Record<string, string> = {};
      for (const p of format.formatToParts(slot * SLOT_MS)) parts[p.type] = p.value;
      hit = { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
      if (cache.size > 200_000) cache.clear();
      cache.set(slot, hit);
    }
    return hit;
  };
}
