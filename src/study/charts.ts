// A study's charts as SVG (Vega-Lite, rendered headless by Vega): per metric, the median of every
// variant along the first axis with its 95% interval as a band, one panel per value of the other
// axes; where the metric asks for it, dashed lines of perfect scaling from each variant's first
// point (n times it for a total, the same value for a per-CPU rate).
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { StudyResult } from './grid.js';
import type { Study } from './studies.js';

interface Row {
  x: number | string;
  variant: string;
  median: number;
  lo: number;
  hi: number;
  linear?: number;
  [facet: string]: number | string | undefined;
}

function rows(study: Study, r: StudyResult, metric: string, reference: 'linear' | 'flat' | undefined): Row[] {
  const [first, ...rest] = study.axes;
  const out: Row[] = r.cells.map((c) => {
    const s = c.summary[metric]!;
    const x = first!.numeric ? Number(c.point[first!.key]) : c.point[first!.key]!;
    return { x, variant: c.variant, median: s.median, lo: s.lo, hi: s.hi, ...Object.fromEntries(rest.map((a) => [a.key, c.point[a.key]!])) };
  });
  if (reference && first!.numeric) {
    // the reference: each variant's value at the first point (times x / x₀ for a total), in its own panel
    const panel = (row: Row): string => JSON.stringify([row.variant, ...rest.map((a) => row[a.key])]);
    const start = new Map<string, Row>();
    for (const row of out) if (!start.has(panel(row)) || (row.x as number) < (start.get(panel(row))!.x as number)) start.set(panel(row), row);
    for (const row of out) {
      const s = start.get(panel(row))!;
      row.linear = reference === 'flat' ? s.median : (s.median * (row.x as number)) / (s.x as number);
    }
  }
  return out;
}

export async function chartSvg(study: Study, r: StudyResult, metric: string): Promise<string> {
  const [first, ...rest] = study.axes;
  const label = r.metrics.find((m) => m.key === metric)?.label ?? metric;
  const reference = study.metrics.find((m) => m.key === metric)?.reference;
  const x = { field: 'x', type: first!.numeric ? 'quantitative' : 'ordinal', title: first!.label, ...(first!.log ? { scale: { type: 'log' } } : {}) };
  const layers: unknown[] = [
    { mark: { type: 'errorband', opacity: 0.25 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: label }, y2: { field: 'hi' }, color: { field: 'variant', type: 'nominal', title: null } } },
    { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'median', type: 'quantitative', title: label }, color: { field: 'variant', type: 'nominal', title: null } } },
  ];
  if (reference) layers.push({ mark: { type: 'line', strokeDash: [4, 4], opacity: 0.6 }, encoding: { x, y: { field: 'linear', type: 'quantitative' }, color: { field: 'variant', type: 'nominal', title: null } } });
  const facet: Record<string, unknown> = {};
  // panels in the axis' own order, not the labels' alphabetical one
  if (rest[0]) facet.column = { field: rest[0].key, type: 'nominal', title: rest[0].label, sort: rest[0].values.map((v) => v.label) };
  if (rest[1]) facet.row = { field: rest[1].key, type: 'nominal', title: rest[1].label, sort: rest[1].values.map((v) => v.label) };
  const inner = { layer: layers, width: 220, height: 160 };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `${r.study}: ${label}`, subtitle: `median of ${r.reps} runs of ${r.seconds} s, band: 95% interval` },
    data: { values: rows(study, r, metric, reference) },
    ...(rest.length > 0 ? { facet, spec: inner, resolve: { scale: { y: 'independent' } } } : inner),
    config: { font: 'sans-serif', background: 'white' },
  };
  const view = new vega.View(vega.parse(vl.compile(spec as vl.TopLevelSpec).spec), { renderer: 'none' });
  return view.toSVG();
}
