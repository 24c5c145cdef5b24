// Whether a chart draws its limit line. The axis is scaled to the usage; a limit far above it (a quiet block
// against the largest one) would squash the usage into a line along the bottom, so the line is drawn only when
// the limit is within 1.25 times the usage's top. A share in percent reads against its whole range (0-100 %),
// so its limit is always in view. The legend gives the limit's value either way.
import type { Unit } from './chart-spec.ts';

export function limitInView(
  limit: number,
  unit: Unit,
  columns: readonly (readonly (number | null)[])[],
): boolean {
  if (unit === 'percent') return true;
  const top = Math.max(0, ...columns.flat().map((v) => v ?? 0));
  return top > 0 && limit <= top * 1.25;
}
