// How a reader thread's events travel to the writing thread: one JSON string of one array per event, its
// fields in a fixed order, instead of objects that repeat every field name (a cold load sends 100k+
// events; objects made the string about twice as long and both ends' JSON work with it).
import type { UsageEvent } from './parse-line.ts';
import type { LocatedEvent } from './message-store.ts';

/** The wire order of an event's fields (after lineNo, sessionId, agentId of its location). */
export const FIELDS = [
  'key',
  'messageId',
  'requestId',
  'ts',
  'model',
  'sessionId',
  'cwd',
  'gitBranch',
  'version',
  'isSidechain',
  'agentId',
  'serviceTier',
  'speed',
  'geo',
  'input',
  'output',
  'cacheWrite5m',
  'cacheWrite1h',
  'cacheRead',
  'thinking',
  'webSearchRequests',
  'webFetchRequests',
  'costLoggedUsd',
  'advisorOf',
] as const satisfies readonly (keyof UsageEvent)[];

// Every field of UsageEvent is listed (a field added there and not here fails the type check).
type Missing = Exclude<keyof UsageEvent, (typeof FIELDS)[number]>;
const allListed: Missing extends never ? true : Missing = true;
void allListed;

export function encodeEvents(events: readonly LocatedEvent[]): string {
  const rows: unknown[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const l = events[i]!;
    const e = l.event;
    // prettier-ignore
    rows[i] = [l.lineNo, l.sessionId, l.agentId, e.key, e.messageId, e.requestId, e.ts, e.model, e.sessionId,
      e.cwd, e.gitBranch, e.version, e.isSidechain, e.agentId, e.serviceTier, e.speed, e.geo, e.input, e.output,
      e.cacheWrite5m, e.cacheWrite1h, e.cacheRead, e.thinking, e.webSearchRequests, e.webFetchRequests,
      e.costLoggedUsd, e.advisorOf];
  }
  return JSON.stringify(rows);
}

export function decodeEvents(json: string): LocatedEvent[] {
  const rows = JSON.parse(json) as any[][];
  const out: LocatedEvent[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    // One object literal (one hidden class for every event), in FIELDS order.
    const event: UsageEvent = {
      key: r[3],
      messageId: r[4],
      requestId: r[5],
      ts: r[6],
      model: r[7],
      sessionId: r[8],
      cwd: r[9],
      gitBranch: r[10],
      version: r[11],
      isSidechain: r[12],
      agentId: r[13],
      serviceTier: r[14],
      speed: r[15],
      geo: r[16],
      input: r[17],
      output: r[18],
      cacheWrite5m: r[19],
      cacheWrite1h: r[20],
      cacheRead: r[21],
      thinking: r[22],
      webSearchRequests: r[23],
      webFetchRequests: r[24],
      costLoggedUsd: r[25],
      advisorOf: r[26],
    };
    out[i] = { event, lineNo: r[0], sessionId: r[1], agentId: r[2] };
  }
  return out;
}
