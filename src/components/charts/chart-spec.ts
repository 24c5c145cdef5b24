// What a chart on a report page is: columns ready for uPlot (`x` in unix seconds, one drawn column per series,
// stacks already summed on the server) plus the exact values for the legend and the data table.
export type Unit = 'tokens' | 'usd' | 'percent';

export interface ChartSeries {
  label: string;
  unit: Unit;
  /** `step`: a value that holds until the next one (readings such as a limit's use). */
  type: 'bar' | 'line' | 'points' | 'step';
  /** Palette slot (CSS custom property --c<n>), or a custom property's name (a model's --m<n>), so light and
   *  dark themes pick the colours. */
  color: number | string;
}

export interface ChartSpec {
  /** Accessible name of the chart. */
  label: string;
  /** How x values are labelled on the axis: day keys are plotted as UTC midnights, instants in `tz`. */
  xKind: 'day' | 'hour' | 'time';
  tz: string;
  /** Row labels for the legend and the data table (exact, human). */
  xLabels: string[];
  x: number[];
  series: ChartSeries[];
  /** What uPlot draws per series when it differs from `values` (cumulative for stacked series). */
  draw?: (number | null)[][] | undefined;
  /** The series' own values, shown in the legend and the table. */
  values: (number | null)[][];
  /** Optional horizontal reference line (e.g. the block token limit), drawn on the first series' scale. */
  limit?: { label: string; value: number } | undefined;
}

export function dayToX(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
