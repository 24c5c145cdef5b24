// What --no-cost leaves of each report's JSON: the keys ccusage 20.0.24 drops under the same flag, no others.
import { describe, expect, it } from 'vitest';
import { withoutCosts } from './without-costs.ts';

const breakdown = { modelName: 'm', inputTokens: 1, cost: 0.5, missingPricing: true };

describe('withoutCosts', () => {
  it('periods and sessions: totalCost of rows and totals, cost of breakdowns, reportedCost', () => {
    const json = {
      sessions: [
        {
          sessionId: 's',
          totalTokens: 1,
          totalCost: 0.5,
          modelsUsed: ['m'],
          modelBreakdowns: [breakdown],
          reportedCost: 0.4,
        },
      ],
      totals: { totalTokens: 1, totalCost: 0.5, unpricedModels: ['m'] },
      unpricedModels: ['m'],
    };
    expect(withoutCosts(json)).toEqual({
      sessions: [
        {
          sessionId: 's',
          totalTokens: 1,
          modelsUsed: ['m'],
          modelBreakdowns: [{ modelName: 'm', inputTokens: 1, missingPricing: true }],
        },
      ],
      totals: { totalTokens: 1, unpricedModels: ['m'] },
      unpricedModels: ['m'],
    });
  });

  it("blocks: costUSD and the projection's totalCost; burnRate.costPerHour stays, as in ccusage", () => {
    const active = {
      id: 'a',
      costUSD: 1,
      models: ['m'],
      burnRate: { tokensPerMinute: 1, costPerHour: 2 },
      projection: { totalTokens: 3, totalCost: 4, remainingMinutes: 5 },
    };
    const done = { id: 'b', costUSD: 1, models: [], burnRate: null, projection: null };
    expect(withoutCosts({ blocks: [active, done] })).toEqual({
      blocks: [
        {
          id: 'a',
          models: ['m'],
          burnRate: { tokensPerMinute: 1, costPerHour: 2 },
          projection: { totalTokens: 3, remainingMinutes: 5 },
        },
        { id: 'b', models: [], burnRate: null, projection: null },
      ],
    });
  });

  it('an empty report keeps its empty rows and its totals', () => {
    expect(withoutCosts({ daily: [], totals: { totalTokens: 0, totalCost: 0 }, unpricedModels: [] })).toEqual(
      {
        daily: [],
        totals: { totalTokens: 0 },
        unpricedModels: [],
      },
    );
  });
});
