// Token and cost sums per model for one stored local day: the "today so far" figures of the live API.
// Uses the (day, model) index, so it stays a few milliseconds however long the history is.
import type { Db } from '../open.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';
import { sumColumns, type Sums } from '../sum-columns.ts';

export interface DayModelRow extends Sums {
  model: string;
}

export function todayByModel(db: Db, day: string, costMode: CostMode): DayModelRow[] {
  const cost = costExpr(costMode);
  return db
    .prepare(
      `SELECT model, ${sumColumns(cost)}
       FROM usage WHERE day = ? GROUP BY model ORDER BY totalTokens DESC, model`,
    )
    .all(day) as DayModelRow[];
}
