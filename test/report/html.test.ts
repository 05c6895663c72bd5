import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { toolStamp } from '../../src/version.js';
import { LOCKSTAT_COLUMNS, isTimeColumn } from '../../src/report/lockstat_table.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { isCumulative } from '../../src/report/html_charts.js';
import { escapeHtml } from '../../src/report/html_tables.js';
import { writeReport } from '../../src/report/write_report.js';
import { CONTENTION_ORDER, makeProfile } from './fixture.js';

interface Spec {
  id: string;
  logUnits?: Record<string, string>;
  config: { type: string; options: { scales: Record<string, { type?: string; min?: number }> }; data: { datasets: { data: unknown[] }[] } };
}

function chartSpecs(html: string): Spec[] {
  return JSON.parse(html.match(/<script type="application\/json" id="faultline-charts">([^<]*)<\/script>/)![1]!) as Spec[];
}

const meta = { title: 'faultline profile <test> & "quotes"', config: { cpus: 2, bugs: ['no-tlb-flush'], note: '<script>alert(1)</script>' }, summary: ['faults 1234', 'a <b> line'] };

function lockstatTable(html: string): string {
  const at = html.indexOf('<table id="lockstat-table"');
  return at < 0 ? '' : html.slice(at, html.indexOf('</table>', at));
}

test('html: the lockstat table with every column, its time unit in the header, rows in contention order', (t) => {
  const html = renderHtmlReport(makeProfile(), meta);
  t.true(html.startsWith('<!doctype html>'));
  t.true(html.includes(`<meta name="generator" content="faultline ${toolStamp().version} (commit ${toolStamp().commit})">`));
  const table = lockstatTable(html);
  t.true(table.length > 0);
  for (const c of LOCKSTAT_COLUMNS) t.true(table.includes(isTimeColumn(c) ? `<th scope="col">${c}<br><span class="unit">µs</span></th>` : `<th scope="col">${c}</th>`), c);
  const classes = [...table.matchAll(/<tr class="class-row"><th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
  t.deepEqual(classes, CONTENTION_ORDER);
  // ns shown as µs with two decimals; the raw value is the sort key
  t.regex(table, /<th scope="row">ptl<\/th><td class="num" data-v="47">47<\/td><td class="num" data-v="95">95<\/td><td class="num" data-v="120">0\.12<\/td>/);
  t.regex(table, /pte:lock_b<\/code>&nbsp;×40/);
  t.is((table.match(/<tbody>/g) ?? []).length, CONTENTION_ORDER.length, 'one tbody per class, so a sort keeps its points under it');
  t.regex(html, /<h2>Lock statistics \(lockstat; times in µs, wall clock\)<\/h2>/);
  const steps = lockstatTable(renderHtmlReport(makeProfile({ unit: 'steps' }), meta));
  t.true(steps.includes('<th scope="col">waittime-max<br><span class="unit">steps</span></th>'));
  t.regex(steps, /<th scope="row">ptl<\/th><td class="num" data-v="47">47<\/td><td class="num" data-v="95">95<\/td><td class="num" data-v="120">120<\/td>/);
});

test('html: the banner says pass or fail; a failing run shows its violation, interleaving and command', (t) => {
  const noCycle = makeProfile({ lockOrder: { ...makeProfile().lockOrder, cycles: [] } });
  const pass = renderHtmlReport(noCycle, meta);
  t.regex(pass, /<div id="verdict" class="banner pass" role="status" data-verdict="pass"><strong>PASS<\/strong>no violation found; no lock-order cycle among 4 dependency edges<\/div>/);
  t.true(pass.indexOf('id="verdict"') < pass.indexOf('<h1>'), 'the banner comes first');
  t.notRegex(pass, /id="command"|id="violation"/, 'no command or violation unless given');
  const cycle = renderHtmlReport(makeProfile(), meta);
  t.regex(cycle, /data-verdict="fail"><strong>FAIL<\/strong><ul><li>lock-order cycle: mmap_lock --&gt; resv --&gt; mmap_lock<\/li><\/ul>/, 'a lock-order cycle fails by default');
  const failing = renderHtmlReport(noCycle, {
    ...meta,
    verdict: 'fail',
    violation: { oracle: 'stale-tlb', thread: 'cpu1', message: 'read <old> frame 7' },
    interleaving: '   step │ cpu0\n      3 │ fault:mmap_sem',
    command: "faultline replay --seed 3 --bug 'no-tlb-flush'",
  });
  t.regex(failing, /<title>FAIL: /);
  t.regex(failing, /<strong>FAIL<\/strong><ul><li>stale-tlb on cpu1: read &lt;old&gt; frame 7<\/li><\/ul>/);
  t.regex(failing, /<section id="violation">[\s\S]*<th scope="row">oracle<\/th><td>stale-tlb<\/td>[\s\S]*<pre class="interleaving">   step │ cpu0\n      3 │ fault:mmap_sem<\/pre>/);
  t.regex(failing, /<code id="command">faultline replay --seed 3 --bug &#39;no-tlb-flush&#39;<\/code>/);
  t.regex(renderHtmlReport(noCycle, { ...meta, verdict: 'fail' }), /<strong>FAIL<\/strong>the run failed/);
});

test('html: pivots in one unit, keys cut not wrapped, sortable; a capped collection says so', (t) => {
  const html = renderHtmlReport(makeProfile(), meta);
  t.regex(html, /<table class="pivot-table sortable" data-by="point"><thead><tr><th scope="col">point<\/th><th scope="col">contended<\/th><th scope="col">total wait<br><span class="unit">µs<\/span><\/th>/);
  t.regex(html, /<td class="key" title="B">B<\/td><td class="num" data-v="2">2<\/td><td class="num" data-v="105">0\.10<\/td>/);
  t.notRegex(html, /id="pivot-cap"/);
  const capped = renderHtmlReport(makeProfile({ contentionCap: { perThread: 20_000, dropped: 93 } }), meta);
  t.regex(capped, /<p class="note" id="pivot-cap">pivot: 7 of 100 contentions kept \(cap 20,000 per thread\)<\/p>/);
});

test('html: log axes carry their unit for 1, 10, 100 … ticks; linear ones do not need it', (t) => {
  const specs = chartSpecs(renderHtmlReport(makeProfile(), meta));
  const wait = specs.find((s) => s.id === 'chart-wait')!;
  t.is(wait.config.options.scales.y.type, 'logarithmic', 'avg and max wait span more than two decades');
  t.deepEqual(wait.logUnits, { y: 'µs' });
  t.is(Math.log10(wait.config.options.scales.y.min as number) % 1, 0, 'the axis starts at a decade');
  t.is(specs.find((s) => s.id === 'chart-contentions')!.config.options.scales.y.type, 'linear');
});

test('html: a canvas per chart, the chart library inlined, no external scripts', (t) => {
  const html = renderHtmlReport(makeProfile(), meta);
  const canvases = [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]);
  t.deepEqual(canvases, ['chart-contentions', 'chart-wait', 'chart-hold', 'chart-wait-total', 'chart-latency', 'chart-latency-hist', 'chart-throughput']);
  const specs = JSON.parse(html.match(/<script type="application\/json" id="faultline-charts">([^<]*)<\/script>/)![1]!) as { id: string; config: { type: string } }[];
  t.deepEqual(specs.map((s) => s.id), canvases, 'one chart spec per canvas');
  t.is(specs.find((s) => s.id === 'chart-throughput')!.config.type, 'line');
  t.regex(html, /Chart\.js v4\.\d+\.\d+/, 'the chart library banner');
  t.true(html.length > 150_000, 'the library is inlined, not linked');
  t.notRegex(html, /<script[^>]*\ssrc=/i);
  t.notRegex(html, /<link[^>]*href=["']?https?:/i);
  t.notRegex(html, /<(img|iframe)[^>]*src=["']?https?:/i);
  t.is((html.match(/<script\b/g) ?? []).length, (html.match(/<\/script>/g) ?? []).length);
});

test('html: a cumulative latency histogram (HdrHistogram percentile walk) is drawn as a percentile curve', (t) => {
  const fl = makeProfile().faultLatency!;
  t.false(isCumulative(fl), 'the fixture has counts per bucket');
  const cumulative = { ...fl, histogram: [1, 50, 90, 99, 100].map((p, i) => ({ valueNs: 1000 * 2 ** i, count: (fl.count * p) / 100 })) };
  t.true(isCumulative(cumulative));
  const spec = (html: string) =>
    (JSON.parse(html.match(/<script type="application\/json" id="faultline-charts">([^<]*)<\/script>/)![1]!) as { id: string; config: { type: string; data: { datasets: { data: unknown[] }[] } } }[]).find((c) => c.id === 'chart-latency-hist')!;
  t.is(spec(renderHtmlReport(makeProfile(), meta)).config.type, 'bar');
  const line = spec(renderHtmlReport(makeProfile({ faultLatency: cumulative }), meta));
  t.is(line.config.type, 'line');
  t.deepEqual(line.config.data.datasets[0]!.data, [{ x: 1, y: 1 }, { x: 2, y: 50 }, { x: 4, y: 90 }, { x: 8, y: 99 }, { x: 16, y: 100 }]);
});

test('html: fault latency, throughput and the lock-order report are present', (t) => {
  const html = renderHtmlReport(makeProfile(), meta);
  t.regex(html, /<section id="faults">\n<h2>Fault latency \(µs, wall clock\)<\/h2>[\s\S]*fault latency<br><span class="unit">µs<\/span>[\s\S]*p99\.9<\/th><td class="num" data-v="85">85\.00<\/td>/);
  t.regex(html, /<section id="lock-order">[\s\S]*WARNING: possible circular locking dependency detected/);
  t.regex(html, /mmap_lock --&gt; resv --&gt; mmap_lock/);
  t.regex(html, /By contention point[\s\S]*<td class="key" title="B">B<\/td>/);
});

test('html: all text is escaped', (t) => {
  const html = renderHtmlReport(makeProfile(), meta);
  t.false(html.includes('<test>'));
  t.true(html.includes('faultline profile &lt;test&gt; &amp; &quot;quotes&quot;'));
  t.false(html.includes('<script>alert(1)</script>'));
  t.true(html.includes('a &lt;b&gt; line'));
  t.is(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const evil = makeProfile({ lockstat: [{ ...makeProfile().lockstat[0]!, class: '</script><img src=x>' }] });
  const out = renderHtmlReport(evil, meta);
  t.false(out.includes('<img src=x>'));
  t.true(out.includes('\\u003c/script\\u003e'), 'chart data cannot close its script element');
});

test('html: an empty profile renders without charts', (t) => {
  const empty = makeProfile({ lockstat: [], contentions: [], lockOrder: { edges: [], cycles: [] }, trace: { events: [], capped: false, cap: 0 }, faultLatency: undefined, throughput: undefined });
  const html = renderHtmlReport(empty, { title: 't', config: {}, summary: [] });
  t.notRegex(html, /<canvas/);
  t.regex(html, /No lock activity recorded/);
  t.regex(html, /no circular locking dependency \(checked 0 dependency edges/);
});

test('writeReport writes dir/index.html, creating the directory', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-report-'));
  try {
    const dir = join(root, 'a', 'b');
    const { html } = writeReport(dir, makeProfile(), meta);
    t.is(html, join(dir, 'index.html'));
    t.is(readFileSync(html, 'utf8'), renderHtmlReport(makeProfile(), meta));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
