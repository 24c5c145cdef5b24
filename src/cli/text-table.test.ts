import { describe, expect, it } from 'vitest';
import { textTable } from './text-table.ts';

describe('textTable', () => {
  it('aligns the first column left and the rest right, the rule broken at every column', () => {
    expect(
      textTable(
        ['Day', 'Tokens', 'Cost'],
        [
          ['2026-03-01', '1,234', '$0.10'],
          ['Total', '99', '$10.00'],
        ],
      ),
    ).toBe(
      [
        'Day         Tokens    Cost',
        '──────────  ──────  ──────',
        '2026-03-01   1,234   $0.10',
        'Total           99  $10.00',
      ].join('\n'),
    );
  });

  it('several left-aligned columns keep their own rules; short rows leave cells empty', () => {
    const table = textTable(
      ['Session', 'Project', 'Tokens'],
      [['s1', '/home/me/a-long-one', '5'], ['Total']],
      2,
    );
    expect(table.split('\n')).toEqual([
      'Session  Project              Tokens',
      '───────  ───────────────────  ──────',
      's1       /home/me/a-long-one       5',
      'Total',
    ]);
  });
});
