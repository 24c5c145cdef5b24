// <ctm-chart> with a ChartSpec in a JSON data block (or a data-chart attribute): draws a uPlot chart from the
// spec embedded in the page (no requests),
// with a live legend of exact values, arrow-key navigation, resizing, and colours from the page's theme.
import uPlot from 'uplot';
import { formatCompact, formatInt, formatUsd } from '../../format/number.ts';
import { usdTicks } from './usd-ticks.ts';
import type { ChartSpec, Unit } from './chart-spec.ts';
import { tickSteps, timeTicks } from './time-ticks.ts';
import { lineBreaks } from './line-breaks.ts';
import { limitInView } from './limit-in-view.ts';
import { xRange } from './x-range.ts';

const exact = (unit: Unit, v: number | null | undefined): string =>
  v == null ? '–' : unit === 'usd' ? formatUsd(v) : unit === 'percent' ? `${Math.round(v)}%` : formatInt(v);
function color(el: Element, slot: number | string): string {
  const name = typeof slot === 'string' ? slot : `--c${slot % 8}`;
  return getComputedStyle(el).getPropertyValue(name).trim() || '#4269d0';
}

/** Gaps at the rows `lineBreaks` names (a period without usage), beside uPlot's own at null values. */
function gapsAt(xs: readonly number[], breaks: readonly number[]): uPlot.Series.GapsRefiner {
  return (u, _s, idx0, idx1, nullGaps) => {
    const gaps = [...nullGaps];
    for (const i of breaks) {
      if (i < idx0 || i > idx1) continue;
      gaps.push([
        Math.round(u.valToPos(xs[i - 1]!, 'x', true)) + 1,
        Math.round(u.valToPos(xs[i]!, 'x', true)),
      ]);
    }
    return gaps.sort((a, b) => a[0] - b[0]);
  };
}

function options(
  el: HTMLElement,
  spec: ChartSpec,
  width: number,
): { opts: uPlot.Options; data: uPlot.AlignedData } {
  const css = getComputedStyle(el);
  const ink = css.getPropertyValue('--muted').trim() || '#666';
  const grid = css.getPropertyValue('--grid').trim() || '#8884';
  const units = [...new Set(spec.series.map((s) => s.unit))];
  // At least 4 px a bar: a sparse history's few days stay visible on a long axis.
  const bars = uPlot.paths.bars!({ size: [0.8, 40, 4], align: 0 });
  const steps = uPlot.paths.stepped!({ align: 1 });
  const points = (spec.x.length > 1 ? 'auto' : true) as unknown as boolean;
  const breaks = lineBreaks(spec.x, spec.xKind);
  const series: uPlot.Series[] = [
    {
      label: spec.xKind === 'hour' ? 'Hour' : spec.xKind === 'day' ? 'Date' : 'Time',
      value: (_u, _v, _s, i) => (i == null ? '–' : (spec.xLabels[i] ?? '')),
    },
    ...spec.series.map((s, si): uPlot.Series => {
      const stroke = color(el, s.color);
      return {
        label: s.label,
        scale: s.unit,
        stroke,
        fill: s.type === 'bar' ? stroke : undefined,
        width: s.type === 'points' ? 0 : s.type === 'bar' ? 0 : 2,
        paths:
          s.type === 'bar' ? bars : s.type === 'step' ? steps : s.type === 'points' ? () => null : undefined,
        points:
          s.type === 'points'
            ? { show: true, size: 5, fill: stroke }
            : { show: points && (s.type === 'line' || s.type === 'step') && spec.x.length < 3 },
        value: (_u, _v, _s, i) => (i == null ? '–' : exact(s.unit, spec.values[si]?.[i])),
        ...((s.type === 'line' || s.type === 'step') && breaks.length > 0
          ? { gaps: gapsAt(spec.x, breaks) }
          : {}),
      };
    }),
  ];
  const data: uPlot.AlignedData = [
    spec.x,
    ...(spec.draw ?? spec.values).map((c) => c.map((v) => v ?? null)),
  ] as uPlot.AlignedData;
  if (spec.limit) {
    series.push({
      label: spec.limit.label,
      scale: spec.series[0]!.unit,
      stroke: color(el, 3),
      dash: [6, 4],
      width: 1.5,
      points: { show: false },
      value: () => exact(spec.series[0]!.unit, spec.limit!.value),
    });
    const inView = limitInView(spec.limit.value, spec.series[0]!.unit, spec.draw ?? spec.values);
    (data as unknown as (number | null)[][]).push(spec.x.map(() => (inView ? spec.limit!.value : null)));
  }
  const day = spec.xKind === 'day';
  const opts: uPlot.Options = {
    width,
    height: Math.max(180, Math.min(300, Math.round(width * 0.45))),
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), spec.tz),
    series,
    scales: {
      x: {
        time: true,
        range: (_u, min, max): [number, number] => xRange(spec.x, spec.xKind) ?? [min, max],
      },
      // A share of a limit reads against the whole limit; beyond it (a spend limit exceeded), to its top.
      percent: { range: (_u, _min, max): [number, number] => [0, Math.max(100, max)] },
    },
    axes: [
      {
        stroke: ink,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        ...(spec.xKind === 'hour'
          ? {
              values: (_u: uPlot, vals: number[]) =>
                vals.map((v) => `${String(new Date(v * 1000).getUTCHours()).padStart(2, '0')}:00`),
            }
          : spec.xKind === 'time' || spec.xKind === 'day'
            ? {
                space: 60,
                incrs: [...tickSteps(day ? 'day' : 'time')],
                values: (_u: uPlot, vals: number[], _axis: number, _space: number, step: number) =>
                  timeTicks(vals, step, spec.tz),
              }
            : {}),
      },
      ...units.map((unit, i): uPlot.Axis => ({
        scale: unit,
        side: i === 0 ? 3 : 1,
        stroke: ink,
        grid: { show: i === 0, stroke: grid, width: 1 },
        ticks: { stroke: grid },
        size: 56,
        values: (_u, vals, _axis, _space, step) =>
          unit === 'usd'
            ? usdTicks(vals, step)
            : unit === 'percent'
              ? vals.map((v) => `${v}%`)
              : vals.map((v) => formatCompact(v)),
      })),
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false }, focus: { prox: 16 } },
  };
  return { opts, data };
}

class CtmChart extends HTMLElement {
  private plot: uPlot | undefined;
  private spec: ChartSpec | undefined;
  private index = -1;

  connectedCallback(): void {
    if (this.plot) return;
    try {
      const json =
        this.dataset.chart ?? this.querySelector('script[type="application/json"]')?.textContent ?? '';
      this.spec = JSON.parse(json) as ChartSpec;
    } catch {
      return;
    }
    this.draw();
    new ResizeObserver(() => {
      const w = this.clientWidth;
      if (this.plot && w > 0 && Math.abs(w - this.plot.width) > 2) {
        this.plot.setSize({ width: w, height: Math.max(180, Math.min(300, Math.round(w * 0.45))) });
      }
    }).observe(this);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.draw());
    this.tabIndex = 0;
    this.addEventListener('keydown', (e) => this.key(e));
  }

  private draw(): void {
    const spec = this.spec!;
    this.plot?.destroy();
    const { opts, data } = options(this, spec, Math.max(280, this.clientWidth || 600));
    this.plot = new uPlot(opts, data, this);
    this.plot.root.querySelector('.u-over')?.setAttribute('aria-hidden', 'true');
  }

  private key(e: KeyboardEvent): void {
    const n = this.spec?.x.length ?? 0;
    if (!this.plot || n === 0) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      if (e.key === 'Home') this.index = 0;
      else if (e.key === 'End') this.index = n - 1;
      else this.index = Math.min(n - 1, Math.max(0, this.index + (e.key === 'ArrowRight' ? 1 : -1)));
      const left = this.plot.valToPos(this.spec!.x[this.index]!, 'x');
      this.plot.setCursor({ left, top: this.plot.over.clientHeight / 2 });
    }
  }
}

if (!customElements.get('ctm-chart')) customElements.define('ctm-chart', CtmChart);
