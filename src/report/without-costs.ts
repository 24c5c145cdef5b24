// `--no-cost`: a report's JSON (periodJson, sessionJson, blocksJson) with the cost fields ccusage 20.0.24 leaves
// out under the same flag, as seen by running it: each row's totalCost, each model breakdown's cost, the totals'
// totalCost, a block's costUSD and its projection's totalCost. ccusage keeps burnRate.costPerHour, so it stays
// here too; ctm's own reportedCost on sessions goes. missingPricing and unpricedModels stay: which models have
// no price is not a cost.
type Json = Record<string, unknown>;

const ROW_COSTS = ['totalCost', 'costUSD', 'reportedCost'];

function omit(object: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function rowWithoutCosts(row: Json): Json {
  const out = omit(row, ROW_COSTS);
  if (Array.isArray(row.modelBreakdowns))
    out.modelBreakdowns = (row.modelBreakdowns as Json[]).map((m) => omit(m, ['cost']));
  if (isObject(row.projection)) out.projection = omit(row.projection, ['totalCost']);
  return out;
}

export function withoutCosts(json: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === 'totals' && isObject(value)) out[key] = omit(value, ['totalCost']);
    else if (Array.isArray(value) && value.every(isObject)) out[key] = value.map(rowWithoutCosts);
    else out[key] = value;
  }
  return out;
}
