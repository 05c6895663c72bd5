// A study's result for people: a table per metric on the terminal (medians with their 95%
// intervals, one row per grid point, one column per variant), the significant differences from
// the baseline with their p-values, a CSV of every run, and an HTML page with the charts inlined.
import { escapeHtml } from '../report/html_tables.js';
import { toolStamp } from '../version.js';
import type { StudyCell, StudyResult } from './grid.js';

const pointKey = (p: Record<string, string>): string => JSON.stringify(p);

function num(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  return v.toFixed(a >= 10 ? 1 : 2);
}

function pointLabel(r: StudyResult, p: Record<string, string>): string {
  return r.axes.map((a) => `${a.key} ${p[a.key]}`).join(', ');
}

/** Rows: grid points; columns: variants; a cell: median [lo–hi]. */
function metricTable(r: StudyResult, metric: string): string[] {
  const byPoint = new Map<string, StudyCell[]>();
  for (const c of r.cells) byPoint.set(pointKey(c.point), [...(byPoint.get(pointKey(c.point)) ?? []), c]);
  const head = ['', ...r.variants];
  const body = [...byPoint.values()].map((cells) => [
    pointLabel(r, cells[0]!.point),
    ...r.variants.map((v) => {
      const s = cells.find((c) => c.variant === v)?.summary[metric];
      return s ? `${num(s.median)} [${num(s.lo)}–${num(s.hi)}]` : '';
    }),
  ]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i]!.length)));
  return [head, ...body].map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

export function studyText(r: StudyResult): string {
  const out = [`faultline study ${r.study}: ${r.question}`, `  ${r.reps} runs of ${r.seconds} s per point and variant (warm-up ${r.warmupSeconds} s discarded), seeds ${r.seed}..${r.seed + r.reps - 1}, the same under every variant`];
  if (r.interrupted) out.push('  interrupted: the cells hold the runs that finished');
  for (const m of r.metrics) out.push('', `${m.label}: median [95% interval]`, ...metricTable(r, m.key).map((l) => `  ${l}`));
  const sig = r.comparisons.filter((c) => c.significant);
  out.push('', `differences from ${r.variants[0]} (paired t-test, p < 0.05): ${sig.length} of ${r.comparisons.length}`);
  const label = (k: string): string => r.metrics.find((m) => m.key === k)?.label ?? k;
  for (const c of sig.filter((x) => x.metric === r.primary)) {
    out.push(`  ${pointLabel(r, c.point)}: ${c.variant} ${c.meanChange >= 0 ? '+' : ''}${(100 * c.meanChange).toFixed(1)}% ${label(c.metric)} (p = ${c.p.toPrecision(2)})`);
  }
  const others = sig.length - sig.filter((x) => x.metric === r.primary).length;
  if (others > 0) out.push(`  (and ${others} on the other metrics: --json or --csv has them all)`);
  if (r.violations > 0) out.push('', `WARNING: ${r.violations} runs raised a violation`);
  return out.join('\n');
}

const csvCell = (v: string | number): string => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One row per run. */
export function studyCsv(r: StudyResult): string {
  const head = ['study', ...r.axes.map((a) => a.key), 'variant', 'seed', ...r.metrics.map((m) => m.key), 'violations'];
  const rows = r.cells.flatMap((c) => c.runs.map((run) => [r.study, ...r.axes.map((a) => c.point[a.key]!), c.variant, run.seed, ...r.metrics.map((m) => run.metrics[m.key]!), run.violations]));
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export function studyHtml(r: StudyResult, charts: { metric: string; svg: string }[]): string {
  const table = (metric: string): string => {
    const lines = metricTable(r, metric);
    return `<pre>${escapeHtml(lines.join('\n'))}</pre>`;
  };
  const sig = r.comparisons.filter((c) => c.significant);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>faultline study ${escapeHtml(r.study)}</title>
<meta name="generator" content="faultline ${escapeHtml(`${toolStamp().version} (commit ${toolStamp().commit})`)}">
<style>body{font-family:sans-serif;margin:2em;max-width:80em}pre{font-size:12px}figure{margin:1em 0}</style></head>
<body><h1>faultline study ${escapeHtml(r.study)}</h1>
<p id="question">${escapeHtml(r.question)}</p>
<p>${r.reps} runs of ${r.seconds} s per point and variant (warm-up ${r.warmupSeconds} s discarded), paired by seed.${r.interrupted ? ' Interrupted: partial.' : ''}</p>
${charts.map((c) => `<figure data-metric="${escapeHtml(c.metric)}">${c.svg}</figure>\n${table(c.metric)}`).join('\n')}
<h2>Differences from ${escapeHtml(r.variants[0])} (paired t-test, p &lt; 0.05)</h2>
<ul>${sig.map((c) => `<li>${escapeHtml(`${pointLabel(r, c.point)}: ${c.variant} ${(100 * c.meanChange).toFixed(1)}% ${c.metric} (p = ${c.p.toPrecision(2)})`)}</li>`).join('')}</ul>
</body></html>
`;
}
