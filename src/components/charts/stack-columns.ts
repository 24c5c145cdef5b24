// Turns per-series value columns into stacked draw columns (each the running sum of those below it), ordered
// top layer first so uPlot paints the tallest bar first and the lower layers over it.
export function stackColumns(values: number[][]): { order: number[]; draw: number[][] } {
  const draw: number[][] = [];
  let running = values[0]?.map(() => 0) ?? [];
  for (const column of values) {
    running = running.map((sum, i) => sum + (column[i] ?? 0));
    draw.push(running);
  }
  const order = values.map((_, i) => values.length - 1 - i);
  return { order, draw: order.map((i) => draw[i]!) };
}
