// The readable form of `ctm prices`: one row per model with the rates in effect now and its fast and
// regional-endpoint multipliers, lines under it for its tiers, dated changes, peak hours, own multipliers and
// note, sources as numbered footnotes; then the models the index has messages of without a price. Rates are
// USD per million tokens, as the table holds them.
import { formatInt, formatUsd } from '../format/number.ts';
import type { PeakHours } from '../pricing/pricing-schema.ts';
import type { ModelPriceEntry, PriceJson, PriceList } from './price-list.ts';
import { textTable } from './text-table.ts';

/** A rate as the table spells it, with at least two decimals (0.125 stays 0.125, 4 is 4.00). */
export function formatRate(n: number): string {
  const decimals = String(n).split('.')[1]?.length ?? 0;
  return n.toFixed(Math.min(6, Math.max(2, decimals)));
}

const RATES = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheWrite5m', '5m write'],
  ['cacheWrite1h', '1h write'],
  ['cacheRead', 'cache read'],
] as const;

function rates(p: Pick<PriceJson, (typeof RATES)[number][0]>): string {
  return RATES.map(([k]) => formatRate(p[k])).join(' / ');
}

/** "2026-10-07" for a UTC midnight, else "2026-08-16 16:00 UTC". */
export function formatFrom(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const hour = (h: number) =>
  `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.round((h % 1) * 60)).padStart(2, '0')}`;

function peakText(p: PeakHours): string {
  const hours = p.utcHours.map(([a, b]) => `${hour(a)}–${hour(b)}`).join(', ');
  const days = p.weekdays ? ` on ${p.weekdays.map((d) => WEEKDAYS[d]).join(', ')}` : '';
  return `peak hours ${hours} UTC${days}; outside them every rate ×${p.offPeakMultiplier}`;
}

function geoText(geo: Record<string, number>): string {
  const entries = Object.entries(geo);
  return entries.length ? entries.map(([k, m]) => `${k} ×${m}`).join(', ') : 'none';
}

/** "Bedrock us., eu., apac., au. or jp. profiles, in-Region anthropic. ids" from the prefixes. */
function regionalText(prefixes: readonly string[]): string {
  const geos = prefixes.filter((p) => p !== 'anthropic.').map((p) => p.slice(0, p.indexOf('.') + 1));
  return `Bedrock ${geos.slice(0, -1).join(', ')} or ${geos.at(-1)} profiles, in-Region anthropic. ids`;
}

function tierText(p: PriceJson): string[] {
  return p.tiers.map((t) => `above ${formatInt(t.above)} input tokens, the whole request at ${rates(t)}`);
}

/** What a dated change changes, in words. */
export function changeText(a: PriceJson, b: PriceJson): string {
  const parts: string[] = [];
  for (const [k, label] of RATES)
    if (a[k] !== b[k]) parts.push(`${label} ${formatRate(a[k])} → ${formatRate(b[k])}`);
  if (a.fastMultiplier !== b.fastMultiplier)
    parts.push(
      `fast ${a.fastMultiplier ? `×${a.fastMultiplier}` : 'none'} → ${b.fastMultiplier ? `×${b.fastMultiplier}` : 'none'}`,
    );
  if (JSON.stringify(a.tiers) !== JSON.stringify(b.tiers))
    parts.push(b.tiers.length ? `tiers: ${tierText(b).join('; ')}` : 'no tier');
  if (JSON.stringify(a.peakHours) !== JSON.stringify(b.peakHours))
    parts.push(b.peakHours ? peakText(b.peakHours) : 'peak hours end');
  if (a.webSearchPerThousand !== b.webSearchPerThousand && b.webSearchPerThousand !== null)
    parts.push(`web search ${formatUsd(b.webSearchPerThousand)} per 1,000`);
  if (JSON.stringify(a.geoMultipliers) !== JSON.stringify(b.geoMultipliers) && b.geoMultipliers)
    parts.push(`inference_geo ${geoText(b.geoMultipliers)}`);
  return parts.length ? parts.join(', ') : 'the same price';
}

export function renderPrices(list: PriceList, now: number): string {
  const sources: string[] = [];
  const footnote = (source: string | null): string => {
    if (!source) return '';
    if (!sources.includes(source)) sources.push(source);
    return `[${sources.indexOf(source) + 1}]`;
  };
  const aliases = new Map<string, string[]>();
  for (const m of list.models)
    if (m.aliasOf) aliases.set(m.aliasOf, [...(aliases.get(m.aliasOf) ?? []), m.model]);

  const main = list.models.filter((m) => !m.aliasOf);
  const rows = main.map((m) => [
    m.model,
    ...RATES.map(([k]) => formatRate(m[k])),
    m.fastMultiplier ? `×${m.fastMultiplier}` : '',
    m.regionalMultiplier ? `×${m.regionalMultiplier}` : '',
    m.checked ?? '',
    footnote(m.source),
  ]);
  const details = main.map((m) => detailLines(m, aliases.get(m.model) ?? [], now, footnote));
  const table = textTable(
    [
      'Model',
      'Input',
      'Output',
      '5m write',
      '1h write',
      'Cache read',
      'Fast',
      'Regional',
      'Checked',
      'Source',
    ],
    rows,
  ).split('\n');
  const out = [
    `Prices in effect on ${new Date(now).toISOString().slice(0, 10)}, USD per million tokens (pricing/anthropic.json` +
      (list.pricingFile ? `, then CTM_PRICING_FILE ${list.pricingFile})` : ')'),
    `Web search ${formatUsd(list.webSearchPerThousand)} per 1,000 searches; inference_geo ${geoText(list.geoMultipliers)}` +
      ' (on every token rate, with fast mode too)',
    `Regional: on every token rate when the model name names a regional endpoint (${regionalText(list.regionalEndpoints.prefixes)}); ` +
      `other names (global., the Claude API's, Vertex AI's) pay the list price ${footnote(list.regionalEndpoints.source)}`.trimEnd(),
    '',
    table[0]!,
    table[1]!,
  ];
  main.forEach((_, i) => out.push(table[i + 2]!, ...details[i]!.map((d) => `    ${d}`)));
  if (sources.length) out.push('', ...sources.map((s, i) => `[${i + 1}] ${s}`));
  out.push('', ...unpricedLines(list));
  return out.join('\n');
}

function detailLines(
  m: ModelPriceEntry,
  aliases: readonly string[],
  now: number,
  footnote: (s: string | null) => string,
): string[] {
  const lines: string[] = [];
  if (aliases.length) lines.push(`also named ${aliases.join(', ')}`);
  lines.push(...tierText(m));
  if (m.peakHours) lines.push(peakText(m.peakHours));
  if (m.webSearchPerThousand !== null)
    lines.push(`web search ${formatUsd(m.webSearchPerThousand)} per 1,000`);
  if (m.geoMultipliers) lines.push(`inference_geo ${geoText(m.geoMultipliers)}`);
  for (let i = 1; i < m.periods.length; i++) {
    const p = m.periods[i]!;
    const upcoming = Date.parse(p.from!) > now ? ' (not yet in effect)' : '';
    const source = p.source && p.source !== m.source ? ` ${footnote(p.source)}` : '';
    lines.push(`from ${formatFrom(p.from!)}${upcoming}: ${changeText(m.periods[i - 1]!, p)}${source}`);
  }
  if (m.note) lines.push(m.note);
  return lines;
}

function unpricedLines(list: PriceList): string[] {
  if (list.unpriced === null)
    return ['No index yet: run `ctm ingest --once` to list the models your logs use without a price.'];
  if (list.unpriced.length === 0) return ['Every model in the index has a price.'];
  const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  const lines = [
    `Models in the index without a price (${list.unpriced.length}): their tokens count, their cost is not included`,
    textTable(
      ['Model', 'Messages', 'Tokens', 'First use (UTC)', 'Last use (UTC)'],
      list.unpriced.map((u) => [
        u.model,
        formatInt(u.messages),
        formatInt(u.totalTokens),
        stamp(u.firstUse),
        stamp(u.lastUse),
      ]),
    ),
  ];
  const repriced = list.unpriced.filter((u) => u.pricedAs);
  if (repriced.length)
    lines.push(
      `Priced by the table now: ${repriced.map((u) => `${u.model} (as ${u.pricedAs})`).join(', ')}; ` +
        'the next `ctm ingest` reprices the index',
    );
  else lines.push('Add a price with CTM_PRICING_FILE (ctm’s format or LiteLLM’s table); see docs/pricing.md');
  return lines;
}
