// The HTML report, loaded for real in Debian's headless Chromium: no console error or uncaught
// exception, the banner says the verdict, every chart is drawn with readable log ticks, pivot keys
// stay on one line and the tables sort on a header click. In CI (CI set) a missing Chromium fails.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { closePool, runStress } from '../../src/harness/stress.js';
import { formatSummary } from '../../src/report/summary.js';
import { writeReport } from '../../src/report/write_report.js';
import { CHROMIUM, Chromium, type Page } from './chromium.js';
import { makeProfile } from './fixture.js';

const inCi = !['', '0', 'false'].includes(process.env.CI ?? '');

test.after.always(closePool);

/** What a page shows, read in the browser after it loaded. */
interface Seen {
  banner: string;
  canvases: number;
  drawn: number;
  /** every labelled tick of every log axis, as value and label */
  logTicks: { chart: string; value: number; label: string }[];
  /** the longest category label drawn on a chart */
  longestCategory: number;
  /** pivot keys that break over more than one line */
  wrappedKeys: string[];
}

const SEEN = `(() => {
  const canvases = [...document.querySelectorAll('canvas')];
  const logTicks = [];
  let longestCategory = 0;
  for (const c of canvases) {
    const chart = Chart.getChart(c);
    for (const s of Object.values(chart.scales)) {
      if (s.type === 'logarithmic') for (const t of s.ticks) if (t.label) logTicks.push({ chart: c.id, value: t.value, label: String(t.label) });
      if (s.type === 'category') for (const t of s.ticks) longestCategory = Math.max(longestCategory, String(t.label).length);
    }
  }
  const wrappedKeys = [...document.querySelectorAll('td.key')].filter((td) => {
    const r = document.createRange();
    r.selectNodeContents(td);
    return r.getClientRects().length > 1;
  }).map((td) => td.title);
  return { banner: document.getElementById('verdict').textContent, canvases: canvases.length, drawn: Number(document.documentElement.dataset.chartsDrawn), logTicks, longestCategory, wrappedKeys };
})()`;

/** Clicks header `col` of `table` and returns the first cell of every row group, in order. */
function clickSort(page: Page, table: string, col: number): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const t = document.querySelector(${JSON.stringify(table)});
    t.tHead.rows[0].cells[${col}].click();
    const groups = t.tBodies.length > 1 ? [...t.tBodies].map((b) => b.rows[0]) : [...t.tBodies[0].rows];
    return groups.map((r) => r.cells[${col}].getAttribute('data-v') ?? r.cells[${col}].textContent.trim());
  })()`);
}

const isSorted = (xs: number[], dir: 1 | -1): boolean => xs.every((x, i) => i === 0 || (x - xs[i - 1]!) * dir >= 0);

if (!existsSync(CHROMIUM) && !inCi) {
  test.skip(`report in headless Chromium: SKIPPED, ${CHROMIUM} is not installed (apt-get install chromium); CI fails instead`, () => {});
} else {
  test.serial('the report of a real stress run and of a failing run open in headless Chromium without errors', async (t) => {
    t.true(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
    if (!existsSync(CHROMIUM)) return;
    const dir = mkdtempSync(join(tmpdir(), 'faultline-report-'));
    const browser = new Chromium();
    try {
      const r = await runStress(makeConfig({ ops: 20_000, seed: 7, strictWaits: true }), { profile: { lockstat: true, lockdep: true, trace: false, holdSample: 8, traceCap: 1 } });
      t.deepEqual(r.violations, []);
      const real = writeReport(join(dir, 'real'), r.profile!, { title: 'faultline stress (test)', config: r.config, summary: formatSummary(r).split('\n') }).html;
      const fixture = makeProfile({ lockOrder: { ...makeProfile().lockOrder, cycles: [] } });
      const failing = writeReport(join(dir, 'failing'), fixture, {
        title: 'faultline replay (test)',
        config: { cpus: 2 },
        summary: ['1 violation'],
        verdict: 'fail',
        violation: { oracle: 'stale-tlb', thread: 'cpu1', message: 'read a frame that migrated away' },
        interleaving: '   step │ cpu0\n      3 │ fault:mmap_sem',
        command: 'faultline replay --seed 3 --bug no-tlb-flush',
      }).html;

      const page = await browser.open(real);
      const seen = await page.evaluate<Seen>(SEEN);
      t.regex(seen.banner, /^PASS\s*no violation found; no lock-order cycle among \d+ dependency edges$/);
      t.true(seen.canvases >= 6, `${seen.canvases} charts`);
      t.is(seen.drawn, seen.canvases, 'every chart drawn');
      for (const tk of seen.logTicks) {
        const e = Math.log10(tk.value);
        t.true(Math.abs(e - Math.round(e)) < 1e-9, `${tk.chart}: a tick at ${tk.value}`);
        t.regex(tk.label, /^(\d{1,3}(,\d{3})*|0\.0*1)( (µs|steps))?$/, `${tk.chart}: "${tk.label}"`);
      }
      t.true(seen.logTicks.some((tk) => tk.chart === 'chart-latency-hist' && tk.label.endsWith(' µs')), 'the latency axis is labelled 1, 10, 100 … µs');
      t.true(seen.longestCategory <= 18, 'category labels are cut');
      t.deepEqual(seen.wrappedKeys, [], 'pivot keys stay on one line');
      // contentions is column 2 of the lockstat table: largest first, then the other way
      const down = (await clickSort(page, '#lockstat-table', 2)).map(Number);
      t.true(isSorted(down, -1), `descending: ${down.join(' ')}`);
      t.true(isSorted((await clickSort(page, '#lockstat-table', 2)).map(Number), 1), 'ascending on a second click');
      const keys = await clickSort(page, '.pivot-table[data-by="cpu"]', 0);
      t.deepEqual(keys, [...keys].sort((a, b) => a.localeCompare(b)), 'text columns sort A to Z');
      t.deepEqual(page.errors, [], 'no console error or uncaught exception');

      const fail = await browser.open(failing);
      const f = await fail.evaluate<Seen & { violation: string; command: string }>(`({ ...${SEEN}, violation: document.getElementById('violation').textContent, command: document.getElementById('command').textContent })`);
      t.regex(f.banner, /^FAIL\s*stale-tlb on cpu1: read a frame that migrated away$/);
      t.regex(f.violation, /stale-tlb[\s\S]*fault:mmap_sem/);
      t.is(f.command, 'faultline replay --seed 3 --bug no-tlb-flush');
      t.is(f.drawn, f.canvases);
      t.deepEqual(fail.errors, [], 'no console error or uncaught exception');
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
