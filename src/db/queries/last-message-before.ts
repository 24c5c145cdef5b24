// The timestamp of the newest counted message strictly before an instant (null when there is none): tells the
// live block detection whether its look-back window started after a gap of more than five hours.
import type { Db } from '../open.ts';

export function lastMessageBefore(db: Db, ts: number): number | null {
  const row = db.prepare(`SELECT max(ts) AS ts FROM usage WHERE ts < ?`).get(ts) as { ts: number | null };
  return row.ts;
}
