// A profile as one self-contained HTML page: the lockstat table, charts of lock wait/hold and
// contentions per class, fault latency percentiles, throughput over time, contention pivots and the
// lock-order report. Chart.js's UMD build is read from node_modules at render time and inlined, so
// the page opens from disk with no network.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LockstatRow, ProfileData, TimeUnit } from '../profile/types.js';
import { formatLockOrder } from './lockdep_report.js';
import { LOCKSTAT_COLUMNS, fmtDuration, fmtTime, formatLockstat, isTimeColumn, lockstatValue, pivotContentions, sortLockstat, topPoints, unitWords, type PivotBy } from './lockstat_table.js';

export interface HtmlReportMeta {
  title: string;
  /** the run's configuration, shown as a key/value table */
  config: object;
  /** summary lines (e.g. the text summary of the run), shown preformatted */
  summary: string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON that is safe inside a <script> element (no `<`, `>` or `&` can end it or open a comment). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

let chartJsCache: { file: string; source: string } | undefined;

/** Chart.js's UMD build from the installed package (read once). */
export function chartJsSource(): { file: string; source: string } {
  if (!chartJsCache) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('chart.js'));
    const file = ['chart.umd.js', 'chart.umd.min.js'].map((f) => join(dist, f)).find((f) => existsSync(f));
    if (!file) throw new Error(`chart.js UMD build not found in ${dist}`);
    chartJsCache = { file, source: readFileSync(file, 'utf8') };
  }
  return chartJsCache;
}

/** Script text made safe to inline: nothing in it can close the <script> element early. */
function inlineScript(src: string): string {
  return src.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];

/** Chart values in a readable unit: wall-clock ns as µs, steps as steps. */
function chartUnit(unit: TimeUnit): { label: string; scale: (v: number) => number } {
  return unit === 'ns' ? { label: 'µs', scale: (v) => v / 1000 } : { label: 'steps', scale: (v) => v };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** A logarithmic y axis when the positive values span more than two decades, else linear. */
function yScale(values: number[], title: string): Record<string, unknown> {
  const pos = values.filter((v) => v > 0);
  const log = pos.length > 1 && Math.max(...pos) / Math.min(...pos) > 100;
  if (!log) return { type: 'linear', beginAtZero: true, title: { display: true, text: title } };
  // The axis starts a little below the smallest value so that its bar still shows.
  const min = 10 ** Math.floor(Math.log10(Math.min(...pos)) - 1e-3);
  return { type: 'logarithmic', min, title: { display: true, text: `${title} (log scale)` } };
}

interface ChartSpec {
  id: string;
  title: string;
  config: Record<string, unknown>;
}

function barChart(id: string, title: string, labels: string[], series: { label: string; data: number[] }[], yTitle: string): ChartSpec {
  return {
    id,
    title,
    config: {
      type: 'bar',
      data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.data.map(round), backgroundColor: PALETTE[i % PALETTE.length] })) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: title }, legend: { display: series.length > 1 } },
        scales: { x: { ticks: { autoSkip: false, maxRotation: 45 } }, y: yScale(series.flatMap((s) => s.data), yTitle) },
      },
    },
  };
}

function lockCharts(rows: LockstatRow[], unit: TimeUnit): ChartSpec[] {
  if (rows.length === 0) return [];
  const u = chartUnit(unit);
  const labels = rows.map((r) => r.class);
  const col = (f: (r: LockstatRow) => number): number[] => rows.map(f);
  return [
    barChart('chart-contentions', 'Contentions per class', labels, [
      { label: 'contentions', data: col((r) => r.contentions) },
      { label: 'con-bounces', data: col((r) => r.conBounces) },
    ], 'count'),
    barChart('chart-wait', `Lock wait per class (${u.label})`, labels, [
      { label: 'avg wait', data: col((r) => u.scale(r.waittimeAvg)) },
      { label: 'max wait', data: col((r) => u.scale(r.waittimeMax)) },
    ], u.label),
    barChart('chart-hold', `Lock hold per class (${u.label})`, labels, [
      { label: 'avg hold', data: col((r) => u.scale(r.holdtimeAvg)) },
      { label: 'max hold', data: col((r) => u.scale(r.holdtimeMax)) },
    ], u.label),
    barChart('chart-wait-total', `Total wait and hold per class (${u.label})`, labels, [
      { label: 'total wait', data: col((r) => u.scale(r.waittimeTotal)) },
      { label: 'total hold', data: col((r) => u.scale(r.holdtimeTotal)) },
    ], u.label),
  ];
}

/**
 * Whether the histogram is cumulative (each entry: a latency and how many faults took at most that
 * long, as an HdrHistogram percentile walk gives) rather than a count per bucket: its counts never
 * fall and the last one is the total.
 */
export function isCumulative(fl: NonNullable<ProfileData['faultLatency']>): boolean {
  const h = fl.histogram;
  if (h.length < 2) return false;
  for (let i = 1; i < h.length; i++) if (h[i]!.count < h[i - 1]!.count || h[i]!.valueNs < h[i - 1]!.valueNs) return false;
  return h[h.length - 1]!.count >= fl.count * 0.99;
}

function latencyCharts(fl: NonNullable<ProfileData['faultLatency']>): ChartSpec[] {
  const us = (ns: number): number => ns / 1000;
  const charts = [
    barChart('chart-latency', `Fault latency percentiles (µs, ${fl.count} faults)`, ['p50', 'p90', 'p99', 'p99.9', 'max'], [
      { label: 'fault latency', data: [fl.p50, fl.p90, fl.p99, fl.p999, fl.max].map(us) },
    ], 'µs'),
  ];
  const hist = fl.histogram.filter((h) => h.count > 0);
  if (hist.length === 0) return charts;
  if (isCumulative(fl)) {
    // (latency, faults at or below it) pairs: draw the percentile curve on a log latency axis.
    const pts = hist.filter((h) => h.valueNs > 0).map((h) => ({ x: round(us(h.valueNs)), y: round((100 * h.count) / fl.count) }));
    charts.push({
      id: 'chart-latency-hist',
      title: 'Fault latency distribution',
      config: {
        type: 'line',
        data: { datasets: [{ label: '% of faults at or below', data: pts, borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointRadius: 3, stepped: false }] },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { title: { display: true, text: 'Fault latency distribution (% of faults at or below each latency)' }, legend: { display: false } },
          scales: {
            x: { type: 'logarithmic', title: { display: true, text: 'fault latency (µs, log scale)' } },
            y: { type: 'linear', min: 0, max: 100, title: { display: true, text: '% of faults' } },
          },
        },
      },
    });
  } else {
    charts.push(barChart('chart-latency-hist', 'Fault latency distribution (faults per bucket, µs)', hist.map((h) => fmtTime(round(us(h.valueNs)))), [{ label: 'faults', data: hist.map((h) => h.count) }], 'faults'));
  }
  return charts;
}

function throughputChart(tp: NonNullable<ProfileData['throughput']>): ChartSpec {
  const series: { label: string; key: 'faultsPerSec' | 'migrationsPerSec' | 'accessesPerSec'; axis: string }[] = [
    { label: 'faults/s', key: 'faultsPerSec', axis: 'y' },
    { label: 'migrations/s', key: 'migrationsPerSec', axis: 'y' },
    { label: 'accesses/s', key: 'accessesPerSec', axis: 'y1' },
  ];
  return {
    id: 'chart-throughput',
    title: 'Throughput over time',
    config: {
      type: 'line',
      data: {
        labels: tp.map((p) => `${round(p.t)}`),
        datasets: series.map((s, i) => ({ label: s.label, data: tp.map((p) => round(p[s.key])), borderColor: PALETTE[i], backgroundColor: PALETTE[i], yAxisID: s.axis, tension: 0.2, pointRadius: 2 })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: 'Throughput over time' } },
        scales: {
          x: { title: { display: true, text: 'time (s)' } },
          y: { position: 'left', beginAtZero: true, title: { display: true, text: 'faults/s, migrations/s' } },
          y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'accesses/s' } },
        },
      },
    },
  };
}

function canvas(c: ChartSpec): string {
  return `<figure class="chart"><div class="chart-box"><canvas id="${escapeHtml(c.id)}" role="img" aria-label="${escapeHtml(c.title)}"></canvas></div></figure>`;
}

function lockstatHtml(rows: LockstatRow[], unit: TimeUnit): string {
  if (rows.length === 0) return '<p class="empty">No lock activity recorded.</p>';
  const head = `<tr><th>class</th>${LOCKSTAT_COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = sortLockstat(rows)
    .map((r) => {
      const cells = LOCKSTAT_COLUMNS.map((c) => {
        const v = lockstatValue(r, c);
        return `<td class="num">${escapeHtml(isTimeColumn(c) ? fmtTime(v) : String(v))}</td>`;
      }).join('');
      const pts = (list: { label: string; count: number }[]): string => (list.length ? topPoints(list).map((p) => `<code>${escapeHtml(p.label)}</code>&nbsp;×${escapeHtml(p.count)}`).join(', ') : '—');
      const sampled = r.holdSamples < r.acquisitions ? ` <span class="note">(hold times from ${escapeHtml(r.holdSamples)} sampled acquisitions)</span>` : '';
      return (
        `<tr class="class-row"><th scope="row">${escapeHtml(r.class)}</th>${cells}</tr>` +
        `<tr class="points"><td></td><td colspan="${LOCKSTAT_COLUMNS.length}"><b>waiters at</b> ${pts(r.contentionPoints)}; <b>taken at</b> ${pts(r.holderPoints)}${sampled}</td></tr>`
      );
    })
    .join('\n');
  return `<p class="caption">Times in ${escapeHtml(unitWords(unit))}. Rows by contentions; reader-writer locks have separate -R and -W rows. Under each row: its top 4 contention points (where waiters waited) and top 4 holder points (where the lock was taken).</p>
<div class="scroll"><table id="lockstat-table" class="lockstat"><thead>${head}</thead><tbody>
${body}
</tbody></table></div>`;
}

function pivotHtml(p: ProfileData, by: PivotBy, title: string, top: number): string {
  const rows = pivotContentions(p.contentions, by, 'wait_total').slice(0, top);
  const body = rows
    .map((r) => `<tr><td>${escapeHtml(r.key)}</td><td class="num">${r.contended}</td><td class="num">${escapeHtml(fmtDuration(r.waitTotal, p.unit))}</td><td class="num">${escapeHtml(fmtDuration(r.waitMax, p.unit))}</td><td class="num">${escapeHtml(fmtDuration(r.avgWait, p.unit))}</td></tr>`)
    .join('');
  return `<div class="pivot"><h3>${escapeHtml(title)}</h3><table class="pivot-table"><thead><tr><th>${escapeHtml(by)}</th><th>contended</th><th>total wait</th><th>max wait</th><th>avg wait</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function configHtml(config: object): string {
  const rows = Object.entries(config).map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td><code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</code></td></tr>`);
  return rows.length ? `<table class="kv">${rows.join('')}</table>` : '<p class="empty">No configuration given.</p>';
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232a; background: #fff; }
body { margin: 0 auto; padding: 16px 24px 48px; max-width: 1360px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; border-bottom: 1px solid #d8dde3; padding-bottom: 4px; }
h3 { font-size: 0.95rem; margin: 8px 0 4px; }
.sub, .caption, .note, .empty { color: #5b6570; font-size: 0.85rem; }
pre { background: #f6f8fa; border: 1px solid #e3e7eb; padding: 8px 10px; overflow-x: auto; font-size: 12px; line-height: 1.35; }
table { border-collapse: collapse; font-size: 12px; }
th, td { padding: 3px 7px; border-bottom: 1px solid #eceff2; text-align: left; vertical-align: top; }
thead th { background: #f1f4f7; position: sticky; top: 0; }
table.lockstat thead th { min-width: 4.5em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.class-row th { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
tr.points td { color: #5b6570; font-size: 11px; border-bottom: 1px solid #d8dde3; }
.scroll { overflow-x: auto; }
.kv th { font-weight: 600; white-space: nowrap; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.chart { margin: 0; border: 1px solid #e3e7eb; border-radius: 4px; padding: 6px; }
.chart-box { position: relative; height: 300px; }
.pivots { display: flex; flex-wrap: wrap; gap: 16px 24px; align-items: flex-start; }
.pivot { flex: 1 1 420px; min-width: 0; overflow-x: auto; }
.pivot-table { width: 100%; }
.pivot-table td:first-child { word-break: break-all; }
.error { color: #b00020; font-weight: 600; }
`;

const RENDER = `(function () {
  var specs = JSON.parse(document.getElementById('faultline-charts').textContent);
  if (typeof Chart === 'undefined') {
    var p = document.createElement('p');
    p.className = 'error';
    p.textContent = 'Chart.js did not load; the charts are missing (the tables above are complete).';
    document.body.insertBefore(p, document.body.firstChild);
    return;
  }
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  var drawn = 0;
  specs.forEach(function (s) {
    var el = document.getElementById(s.id);
    if (el) { new Chart(el, s.config); drawn++; }
  });
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();`;

/**
 * The whole report as one HTML page with no external resources: summary, configuration, the
 * lockstat table, lock charts, contention pivots, fault latency, throughput and the lock-order report.
 */
export function renderHtmlReport(p: ProfileData, meta: HtmlReportMeta): string {
  const rows = sortLockstat(p.lockstat);
  const lock = lockCharts(rows, p.unit);
  const latency = p.faultLatency && p.faultLatency.count > 0 ? latencyCharts(p.faultLatency) : [];
  const throughput = p.throughput && p.throughput.length > 0 ? [throughputChart(p.throughput)] : [];
  const charts = [...lock, ...latency, ...throughput];
  const fl = p.faultLatency;
  const latencyTable = fl
    ? `<table class="kv"><tr><th>faults</th><td class="num">${escapeHtml(fl.count)}</td></tr>${(
        [['p50', fl.p50], ['p90', fl.p90], ['p99', fl.p99], ['p99.9', fl.p999], ['max', fl.max]] as const
      )
        .map(([k, v]) => `<tr><th>${k}</th><td class="num">${escapeHtml(fmtDuration(v, 'ns'))}</td></tr>`)
        .join('')}</table>`
    : '';
  const traceNote = p.trace.capped ? `; the timeline was capped at ${p.trace.cap} events per thread` : '';
  const { file: chartFile, source: chartSource } = chartJsSource();

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="faultline">
<title>${escapeHtml(meta.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(meta.title)}</h1>
<p class="sub">Lock times in ${escapeHtml(unitWords(p.unit))}; ${escapeHtml(p.lockstat.length)} lockstat rows, ${escapeHtml(p.contentions.length)} contention records, ${escapeHtml(p.lockOrder.edges.length)} lock-order edges, ${escapeHtml(p.trace.events.length)} timeline events${escapeHtml(traceNote)}.</p>
</header>

<section id="summary">
<h2>Summary</h2>
${meta.summary.length ? `<pre class="summary">${escapeHtml(meta.summary.join('\n'))}</pre>` : '<p class="empty">No summary.</p>'}
</section>

<section id="config">
<h2>Configuration</h2>
${configHtml(meta.config)}
</section>

<section id="lockstat">
<h2>Lock statistics (lockstat)</h2>
${lockstatHtml(rows, p.unit)}
</section>

<section id="lock-charts">
<h2>Lock contention, wait and hold by class</h2>
${lock.length ? `<div class="grid">${lock.map(canvas).join('\n')}</div>` : '<p class="empty">No lock activity recorded.</p>'}
</section>

<section id="contention">
<h2>Contention pivots (by total wait)</h2>
${p.contentions.length ? `<div class="pivots">${pivotHtml(p, 'point', 'By contention point', 12)}${pivotHtml(p, 'cpu', 'By thread', 12)}${pivotHtml(p, 'instance', 'By lock instance', 12)}</div>` : '<p class="empty">No contention recorded.</p>'}
</section>

<section id="faults">
<h2>Fault latency</h2>
${latency.length ? `<div class="grid">${latency.map(canvas).join('\n')}</div>${latencyTable}` : '<p class="empty">No fault latency recorded.</p>'}
</section>

<section id="throughput">
<h2>Throughput over time</h2>
${throughput.length ? throughput.map(canvas).join('\n') : '<p class="empty">No throughput samples recorded.</p>'}
</section>

<section id="lock-order">
<h2>Lock order</h2>
<pre class="lockdep">${escapeHtml(formatLockOrder(p.lockOrder))}</pre>
</section>

<section id="lockstat-text">
<h2>lock_stat text</h2>
<details><summary>The table as text</summary><pre>${escapeHtml(formatLockstat(p.lockstat, p.unit))}</pre></details>
</section>

<script type="application/json" id="faultline-charts">${scriptJson(charts.map((c) => ({ id: c.id, config: c.config })))}</script>
<script data-inlined="${escapeHtml(chartFile.split(/[\\/]/).slice(-3).join('/'))}">
${inlineScript(chartSource)}
</script>
<script>
${RENDER}
</script>
</body>
</html>
`;
}
