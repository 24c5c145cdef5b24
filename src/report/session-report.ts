// Per-session report in ccusage's shape: sessions[] with sessionId, projectPath, lastActivity, models.
import type { SessionModelRow } from '../db/queries/usage-by-session.ts';
import { addRow, emptyTotals, groupEntries, unpricedModels } from './period-report.ts';

export function sessionReport(rows: readonly SessionModelRow[]) {
  const totals = emptyTotals();
  for (const row of rows) addRow(totals, row);
  const meta = new Map<string, { project: string; lastDay: string; firstTs: number; lastTs: number }>();
  for (const row of rows) {
    const m = meta.get(row.sessionId);
    if (!m)
      meta.set(row.sessionId, {
        project: row.project,
        lastDay: row.lastDay,
        firstTs: row.firstTs,
        lastTs: row.lastTs,
      });
    else {
      m.lastDay = row.lastDay > m.lastDay ? row.lastDay : m.lastDay;
      m.firstTs = Math.min(m.firstTs, row.firstTs);
      m.lastTs = Math.max(m.lastTs, row.lastTs);
    }
  }
  const sessions = [...groupEntries(rows, (r) => r.sessionId)]
    .map(([sessionId, entry]) => {
      const m = meta.get(sessionId)!;
      return {
        sessionId,
        projectPath: m.project,
        lastActivity: m.lastDay,
        startTime: new Date(m.firstTs).toISOString(),
        endTime: new Date(m.lastTs).toISOString(),
        ...entry,
      };
    })
    .sort((a, b) => (a.endTime < b.endTime ? -1 : a.endTime > b.endTime ? 1 : 0));
  return { sessions, totals, unpricedModels: unpricedModels(rows) };
}
