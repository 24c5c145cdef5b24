import { describe, expect, it } from 'vitest';
import { MODEL_SLOTS, modelColors, modelSlot, OTHER_MODELS_COLOR } from './model-color.ts';
import { dailyByModel } from './daily-by-model.ts';
import type { DayModelRow } from '../../db/queries/usage-by-day-model.ts';

const row = (day: string, model: string, cost: number, totalTokens: number) =>
  ({ day, model, cost, totalTokens }) as unknown as DayModelRow;

describe('modelColors', () => {
  it('gives a model the same slot whatever else is in view, when no other model takes it', () => {
    const alone = modelColors(['claude-sonnet-4-5']).get('claude-sonnet-4-5');
    expect(alone).toBe(`--m${modelSlot('claude-sonnet-4-5')}`);
    expect(modelColors(['claude-sonnet-4-5', 'claude-sonnet-4-5']).get('claude-sonnet-4-5')).toBe(alone);
  });

  it('keeps the models of one view distinct, the same way for the same set in any order', () => {
    const models = Array.from({ length: MODEL_SLOTS }, (_, i) => `model-${i}`);
    const a = modelColors(models);
    expect(new Set(a.values()).size).toBe(MODEL_SLOTS);
    expect(modelColors([...models].reverse())).toEqual(a);
  });
});

describe('dailyByModel colours and order', () => {
  const rows = [
    row('2026-11-01', 'claude-opus-4-5', 5, 100),
    row('2026-11-01', 'claude-haiku-4-5', 1, 900),
    row('2026-11-02', 'claude-sonnet-4-5', 3, 300),
  ];
  const days = ['2026-11-01', '2026-11-02'];

  it('colours a model alike on the cost and the token chart and lists the models in one order', () => {
    const cost = dailyByModel(rows, days, 'cost', 'c');
    const tokens = dailyByModel(rows, days, 'totalTokens', 't');
    const pairs = (s: typeof cost) => s.series.map((x) => [x.label, x.color]);
    expect(pairs(cost)).toEqual(pairs(tokens));
    // Ranked by cost on both charts (haiku has the most tokens), the top layer first.
    expect(tokens.series.map((s) => s.label)).toEqual([
      'claude-haiku-4-5',
      'claude-sonnet-4-5',
      'claude-opus-4-5',
    ]);
  });

  it('paints the folded models grey', () => {
    const spec = dailyByModel(rows, days, 'cost', 'c', 2);
    expect(spec.series.find((s) => s.label === 'other models')?.color).toBe(OTHER_MODELS_COLOR);
    expect(spec.series.find((s) => s.label === 'claude-opus-4-5')?.color).toBe(
      modelColors(['claude-opus-4-5', 'claude-haiku-4-5', 'claude-sonnet-4-5']).get('claude-opus-4-5'),
    );
  });
});
