import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCKSTAT_COLUMNS } from '../../src/report/lockstat_table.js';
import { escapeHtml, isCumulative, renderHtmlReport } from '../../src/report/html.js';
import { writeReport } from '../../src/report/write_report.js';
import { CONTENTION_ORDER, makeProfile } from './fixture.js';

const meta = { title: 'faultline profile <test> & "quotes"', config: { cpus: 2, bugs: ['no-tlb-flush'], note: '<script>alert(1)</script>' }, summary: ['faults 1234', 'a <b> line'] };

test('html: the lockstat table with every column, rows in contention order', (t) => {
  const html = renderHtmlReport(makeProfile(), meta);
  t.true(html.startsWith('<!doctype html>'));
  const table = html.slice(html.indexOf('<table id="lockstat-table"'), html.indexOf('</table>', html.indexOf('<table id="lockstat-table"')));
  t.true(table.length > 0);
  for (const c of LOCKSTAT_COLUMNS) t.true(table.includes(`<th>${c}</th>`), c);
  const classes = [...table.matchAll(/<tr class="class-row"><th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
  t.deepEqual(classes, CONTENTION_ORDER);
  t.regex(table, /<th scope="row">ptl<\/th><td class="num">47<\/td><td class="num">95<\/td>/);
  t.regex(table, /pte:lock_b<\/code>&nbsp;×40/);
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
  t.regex(html, /<section id="faults">[\s\S]*p99\.9<\/th><td class="num">85\.00 us/);
  t.regex(html, /<section id="lock-order">[\s\S]*WARNING: possible circular locking dependency detected/);
  t.regex(html, /mmap_lock --&gt; resv --&gt; mmap_lock/);
  t.regex(html, /By contention point[\s\S]*<td>B<\/td>/);
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
