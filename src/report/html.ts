// A profile as one self-contained HTML page: a pass/fail banner (with the violation, its
// interleaving and the command that reproduces the run), the lockstat table, charts of lock
// wait/hold and contentions per class, contention pivots, fault latency, throughput over time and
// the lock-order report. Tables sort on a header click; Chart.js is inlined (see html_assets.ts).
import { toolStamp } from '../version.js';
import type { ProfileData } from '../profile/types.js';
import { formatLockOrder } from './lockdep_report.js';
import { formatLockstat, sortLockstat, unitWords } from './lockstat_table.js';
import { PAGE_SCRIPT, STYLE, chartJsSource, inlineScript, scriptJson } from './html_assets.js';
import { coverageChart, latencyCharts, lockCharts, throughputChart, type ChartSpec } from './html_charts.js';
import { configHtml, escapeHtml, latencyHtml, lockstatHtml, pivotsHtml } from './html_tables.js';

export interface HtmlReportMeta {
  title: string;
  /** the run's configuration, shown as a key/value table */
  config: object;
  /** summary lines (e.g. the text summary of the run), shown preformatted */
  summary: string[];
  /** the run's outcome; when absent, 'fail' if the lock-order graph has a cycle, else 'pass' */
  verdict?: 'pass' | 'fail';
  /** the violation a failing run found: the oracle that caught it, on which thread, and what it said */
  violation?: { oracle: string; thread?: string; message: string };
  /** the interleaving that led to the violation, as pre-rendered text rows (renderInterleaving) */
  interleaving?: string;
  /** the race in sentences (explainOf) */
  explain?: string[];
  /** explore --coverage: the counts over schedules */
  coverage?: { schedules: number; pairs: number; bothOrders: number }[];
  /** the command line that reproduces this run, shown for copying */
  command?: string;
}

/** What the banner says: the verdict, and the reasons for a failure. */
export function verdictOf(p: ProfileData, meta: HtmlReportMeta): { verdict: 'pass' | 'fail'; reasons: string[] } {
  const cycles = p.lockOrder.cycles.map((c) => `lock-order cycle: ${c.chain.join(' --> ')}`);
  const v = meta.violation;
  const reasons = [...(v ? [`${v.oracle}${v.thread ? ` on ${v.thread}` : ''}: ${v.message}`] : []), ...cycles];
  return { verdict: meta.verdict ?? (cycles.length > 0 ? 'fail' : 'pass'), reasons };
}

function bannerHtml(p: ProfileData, meta: HtmlReportMeta): string {
  const { verdict, reasons } = verdictOf(p, meta);
  const pass = verdict === 'pass';
  const detail = pass
    ? `no violation found; no lock-order cycle among ${p.lockOrder.edges.length} dependency edges`
    : reasons.length
      ? `<ul>${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
      : 'the run failed (see the summary)';
  return `<div id="verdict" class="banner ${verdict}" role="status" data-verdict="${verdict}"><strong>${pass ? 'PASS' : 'FAIL'}</strong>${pass ? escapeHtml(detail) : detail}</div>`;
}

function violationHtml(meta: HtmlReportMeta): string {
  const v = meta.violation;
  if (!v && !meta.interleaving) return '';
  const kv = v
    ? `<table class="kv"><tr><th scope="row">oracle</th><td>${escapeHtml(v.oracle)}</td></tr>${v.thread ? `<tr><th scope="row">thread</th><td>${escapeHtml(v.thread)}</td></tr>` : ''}<tr><th scope="row">message</th><td>${escapeHtml(v.message)}</td></tr></table>`
    : '';
  const story = meta.explain?.length ? `<h3>What happened</h3><pre class="explain" id="explain">${escapeHtml(meta.explain.join('\n'))}</pre>` : '';
  const rows = meta.interleaving ? `<h3>Interleaving</h3><pre class="interleaving">${escapeHtml(meta.interleaving)}</pre>` : '';
  return `<section id="violation">\n<h2>Violation</h2>\n${kv}${story}${rows}\n</section>\n`;
}

function canvas(c: ChartSpec): string {
  return `<figure class="chart"><div class="chart-box"><canvas id="${escapeHtml(c.id)}" role="img" aria-label="${escapeHtml(c.title)}"></canvas></div></figure>`;
}

/**
 * The whole report as one HTML page with no external resources: verdict, summary, configuration,
 * the lockstat table, lock charts, contention pivots, fault latency, throughput and the lock-order report.
 */
export function renderHtmlReport(p: ProfileData, meta: HtmlReportMeta): string {
  const rows = sortLockstat(p.lockstat);
  const lock = lockCharts(rows, p.unit);
  const fl = p.faultLatency && p.faultLatency.count > 0 ? p.faultLatency : undefined;
  const latency = fl ? latencyCharts(fl) : [];
  const throughput = p.throughput && p.throughput.length > 0 ? [throughputChart(p.throughput)] : [];
  const coverage = meta.coverage && meta.coverage.length > 0 ? [coverageChart(meta.coverage)] : [];
  const charts = [...lock, ...latency, ...throughput, ...coverage];
  const traceNote = p.trace.capped ? `; the timeline was capped at ${p.trace.cap} events per thread` : '';
  const { file: chartFile, source: chartSource } = chartJsSource();
  const { verdict } = verdictOf(p, meta);
  const times = unitWords(p.unit);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="faultline ${escapeHtml(`${toolStamp().version} (commit ${toolStamp().commit})`)}">
<title>${verdict === 'pass' ? 'PASS' : 'FAIL'}: ${escapeHtml(meta.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
${bannerHtml(p, meta)}
<h1>${escapeHtml(meta.title)}</h1>
${meta.command ? `<p class="command">Reproduce: <code id="command">${escapeHtml(meta.command)}</code></p>` : ''}
<p class="sub">Lock times in ${escapeHtml(times)}; ${escapeHtml(p.lockstat.length)} lockstat rows, ${escapeHtml(p.contentions.length)} contention records, ${escapeHtml(p.lockOrder.edges.length)} lock-order edges, ${escapeHtml(p.trace.events.length)} timeline events${escapeHtml(traceNote)}.</p>
</header>

${violationHtml(meta)}${coverage.length ? `<section id="coverage">\n<h2>Interleaving coverage</h2>\n${coverage.map(canvas).join('\n')}\n</section>\n` : ''}<section id="summary">
<h2>Summary</h2>
${meta.summary.length ? `<pre class="summary">${escapeHtml(meta.summary.join('\n'))}</pre>` : '<p class="empty">No summary.</p>'}
</section>

<section id="config">
<h2>Configuration</h2>
${configHtml(meta.config)}
</section>

<section id="lockstat">
<h2>Lock statistics (lockstat; times in ${escapeHtml(times)})</h2>
${lockstatHtml(rows, p.unit)}
</section>

<section id="lock-charts">
<h2>Lock contention, wait and hold by class (times in ${escapeHtml(times)})</h2>
${lock.length ? `<div class="grid">${lock.map(canvas).join('\n')}</div>` : '<p class="empty">No lock activity recorded.</p>'}
</section>

<section id="contention">
<h2>Contention pivots (by total wait; times in ${escapeHtml(times)})</h2>
${pivotsHtml(p)}
</section>

<section id="faults">
<h2>Fault latency (µs, wall clock)</h2>
${fl ? `<div class="grid">${latency.map(canvas).join('\n')}</div>${latencyHtml(fl)}` : '<p class="empty">No fault latency recorded.</p>'}
</section>

<section id="throughput">
<h2>Throughput over time (per second)</h2>
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

<script type="application/json" id="faultline-charts">${scriptJson(charts.map((c) => ({ id: c.id, config: c.config, ...(c.logUnits ? { logUnits: c.logUnits } : {}) })))}</script>
<script data-inlined="${escapeHtml(chartFile.split(/[\\/]/).slice(-3).join('/'))}">
${inlineScript(chartSource)}
</script>
<script>
${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}
