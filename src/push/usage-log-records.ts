// An agent's rows as one OTLP/HTTP JSON ExportLogsServiceRequest: a `ctm.usage` log record per indexed row
// and a `ctm.session_cost` record per changed session cost, under one resource naming the machine, the user
// and the backlog left after this request. The attribute names are those of src/hub/ctm-usage.ts.
import type { PushRow } from '../db/queries/push-rows.ts';
import type { PushSessionCost } from '../db/queries/push-session-costs.ts';
import {
  RESOURCE,
  SESSION_COST,
  SESSION_COST_EVENT,
  USAGE_COUNTS,
  USAGE_EVENT,
  USAGE_FLAGS,
  USAGE_LOGGED_COST,
  USAGE_STRINGS,
} from '../hub/ctm-usage.ts';
import { version } from '../version.ts';

export interface Identity {
  machine: string;
  user: string;
}

type KeyValue = { key: string; value: Record<string, unknown> };

const text = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: String(value) } });

function usageRecord(row: PushRow, observed: string): Record<string, unknown> {
  const attributes: KeyValue[] = [text('event.name', USAGE_EVENT)];
  for (const [field, key] of Object.entries(USAGE_STRINGS)) {
    const v = row[field as keyof typeof USAGE_STRINGS];
    if (v !== null && v !== '') attributes.push(text(key, v));
  }
  for (const [field, key] of Object.entries(USAGE_COUNTS)) {
    const v = row[field as keyof typeof USAGE_COUNTS];
    if (v !== 0) attributes.push(int(key, v));
  }
  if (row.isSidechain) attributes.push({ key: USAGE_FLAGS.isSidechain, value: { boolValue: true } });
  if (row.costLoggedUsd !== null)
    attributes.push({ key: USAGE_LOGGED_COST, value: { doubleValue: row.costLoggedUsd } });
  return {
    timeUnixNano: `${Math.trunc(row.ts)}000000`,
    observedTimeUnixNano: observed,
    eventName: USAGE_EVENT,
    attributes,
  };
}

function sessionCostRecord(c: PushSessionCost, observed: string): Record<string, unknown> {
  return {
    timeUnixNano: observed,
    observedTimeUnixNano: observed,
    eventName: SESSION_COST_EVENT,
    attributes: [
      text('event.name', SESSION_COST_EVENT),
      text(SESSION_COST.sessionId, c.sessionId),
      { key: SESSION_COST.totalCostUsd, value: { doubleValue: c.totalCostUsd } },
      text(SESSION_COST.modelUsage, c.modelUsageJson),
    ],
  };
}

/** The request body (JSON text) for some rows and session costs. */
export function usageLogsRequest(
  rows: readonly PushRow[],
  sessionCosts: readonly PushSessionCost[],
  identity: Identity,
  pending: number,
  now = Date.now(),
): string {
  const observed = `${now}000000`;
  return JSON.stringify({
    resourceLogs: [
      {
        resource: {
          attributes: [
            text('service.name', 'ctm'),
            text('service.version', version),
            text('host.name', identity.machine),
            text(RESOURCE.machine, identity.machine),
            text(RESOURCE.user, identity.user),
            int(RESOURCE.pending, pending),
          ],
        },
        scopeLogs: [
          {
            scope: { name: 'ctm', version },
            logRecords: [
              ...rows.map((r) => usageRecord(r, observed)),
              ...sessionCosts.map((c) => sessionCostRecord(c, observed)),
            ],
          },
        ],
      },
    ],
  });
}
