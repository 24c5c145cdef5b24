// Validates GET /api/v1/usage's query string. Each error names the parameter so a script's author sees at
// once what to fix; unknown parameters are errors too (a typo must not silently widen the answer).
import { isValidTimezone } from '../config.ts';
import type { UsageGroupBy } from '../db/queries/usage-grouped.ts';
import { makeLocalTime } from '../time/local-time.ts';

export interface UsageParams {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  tz: string;
  /** Only this machine's or user's usage (a hub's; this machine's own name works on any index). */
  machine?: string;
  user?: string;
  /** Only this project's usage: its display name, working directory or key, as `--project` takes it. */
  project?: string;
}

export class ParamError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(`${param}: ${message}`);
    this.param = param;
  }
}

const GROUPS: readonly UsageGroupBy[] = ['day', 'hour', 'model', 'project', 'session', 'machine', 'user'];
const KNOWN = new Set(['from', 'to', 'groupBy', 'tz', 'machine', 'user', 'project']);
const DAY_MS = 86_400_000;

/** A value as an error shows it: at most 40 characters, so a long one does not come back whole. */
const shown = (value: string): string => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

function parseDay(value: string, param: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw new ParamError(param, `expected a date as YYYY-MM-DD, got "${shown(value)}"`);
  }
  return value;
}

export function parseUsageParams(
  search: URLSearchParams,
  defaults: { timezone: string; now: number },
): UsageParams {
  for (const key of search.keys()) {
    if (!KNOWN.has(key))
      throw new ParamError(
        shown(key),
        'unknown parameter (use from, to, groupBy, tz, machine, user, project)',
      );
  }
  for (const key of KNOWN) {
    if (search.getAll(key).length > 1) throw new ParamError(key, 'given more than once');
  }
  const tz = search.get('tz') ?? defaults.timezone;
  if (!isValidTimezone(tz) || tz.trim() === '') {
    throw new ParamError(
      'tz',
      `unknown timezone "${shown(tz)}" (use an IANA name such as Europe/Berlin or UTC)`,
    );
  }
  const local = makeLocalTime(tz);
  const to = search.has('to') ? parseDay(search.get('to')!, 'to') : local(defaults.now).day;
  const from = search.has('from')
    ? parseDay(search.get('from')!, 'from')
    : local(Date.parse(`${to}T12:00:00Z`) - 29 * DAY_MS).day;
  if (from > to) throw new ParamError('from', `${from} is after to (${to})`);
  const groupBy = (search.get('groupBy') ?? 'day') as UsageGroupBy;
  if (!GROUPS.includes(groupBy)) {
    throw new ParamError('groupBy', `expected one of ${GROUPS.join(', ')}, got "${shown(groupBy)}"`);
  }
  const names: Pick<UsageParams, 'machine' | 'user'> = {};
  for (const key of ['machine', 'user'] as const) {
    const value = search.get(key);
    if (value === null) continue;
    if (value === '' || value.length > 128 || /[\u0000-\u001f\u007f]/.test(value))
      throw new ParamError(key, `expected a ${key} name of 1 to 128 characters, got "${shown(value)}"`);
    names[key] = value;
  }
  const project = search.get('project');
  if (project !== null) {
    if (project === '' || project.length > 1024 || /[\u0000-\u001f\u007f]/.test(project))
      throw new ParamError('project', `expected a project's name, path or key, got "${shown(project)}"`);
    return { from, to, groupBy, tz, ...names, project };
  }
  return { from, to, groupBy, tz, ...names };
}
