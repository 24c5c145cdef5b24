// Data for `/models/`: every model's all-time sums with the price entry used, and cost and tokens per day
// by model over the whole history.
import type { SiteContext } from '../site-context.ts';
import { usageBreakdown, type BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { usageByDayModel } from '../../db/queries/usage-by-day-model.ts';
import { dailyByModel } from '../../components/charts/daily-by-model.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { priceTable } from '../price-table.ts';
import { matchModel, priceAt } from '../../pricing/match-model.ts';
import type { ModelPrice } from '../../pricing/pricing-schema.ts';
import { daysBetween } from '../../format/local-format.ts';

export interface ModelsData {
  tz: string;
  costMode: string;
  /** Each model's price entry and the price in effect now (a dated change applies by UTC time). */
  models: (BreakdownRow & {
    priceId: string | null;
    price: ModelPrice | null;
    source: string | null;
    checked: string | null;
    /** Dated changes of the entry after its first price, as UTC days. */
    changes: string[];
  })[];
  costChart: ChartSpec | null;
  tokenChart: ChartSpec | null;
}

let pricing: ReturnType<typeof priceTable> | undefined;

export function loadModels(ctx: SiteContext): ModelsData {
  const { db, filter, config } = ctx;
  pricing ??= priceTable(config.pricingFile);
  const rows = usageBreakdown(db, 'model', filter);
  const daily = usageByDayModel(db, filter);
  const days = daily.length ? daysBetween(daily[0]!.day, daily.at(-1)!.day) : [];
  return {
    tz: filter.timezone,
    costMode: filter.costMode,
    models: rows.map((r) => {
      const m = matchModel(pricing!, r.key);
      return {
        ...r,
        priceId: m?.id ?? null,
        price: m ? priceAt(m, ctx.now) : null,
        source: m?.source ?? null,
        checked: m?.checked ?? null,
        changes: m ? m.periods.slice(1).map((p) => new Date(p.from).toISOString().slice(0, 10)) : [],
      };
    }),
    costChart: days.length ? dailyByModel(daily, days, 'cost', 'Cost per day by model', 8) : null,
    tokenChart: days.length ? dailyByModel(daily, days, 'totalTokens', 'Tokens per day by model', 8) : null,
  };
}
