// faultline study on a real (short) grid: every output written and well formed, the variants'
// runs paired by seed, and the HTML page's charts rendered in a real browser.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Chromium, CHROMIUM } from '../report/chromium.js';
import type { StudyResult } from '../../src/study/grid.js';
import { oneLineError, readOutput, run, scratch } from './run.js';

const dir = scratch();
const r = run(dir, ['study', 'rwsem', '--reps', '2', '--seconds', '0.2', '--quiet', '--json', 'rwsem.json', '--csv', 'rwsem.csv', '--out', 'charts'], {}, 300_000);

test('study rwsem: exit 0, a table per metric with a median and interval for every variant, the paired tests', (t) => {
  t.is(r.status, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /^faultline study rwsem: /m);
  t.regex(r.stdout, /^faults\/s: median \[95% interval\]$/m);
  t.regex(r.stdout, /^ +linux +phase-fair +reader-pref +writer-pref$/m);
  t.regex(r.stdout, /^  writers 0\.001 +\S+ \[\S+–\S+\]/m);
  t.regex(r.stdout, /^differences from linux \(paired t-test, p < 0\.05\): \d+ of 36$/m);
});

test('--json: every run with its metrics and HdrHistogram, each variant on the same seeds at every point; --csv: one row per run', (t) => {
  const j = readOutput<StudyResult>(dir, 'rwsem.json', 'study');
  t.is(j.cells.length, 3 * 4);
  for (const c of j.cells) {
    t.deepEqual(c.runs.map((x) => x.seed), [1, 2]);
    t.true(c.runs.every((x) => x.latencyHistogram.length > 0 && x.metrics.faultsPerSec! > 0));
    t.true(c.runs.every((x) => x.perCpu?.length === 4 && x.perCpu.every((p) => p.accessesPerSec > 0)), 'the rates of each of the 4 CPUs');
    t.true(c.summary.faultsPerSec!.lo <= c.summary.faultsPerSec!.median && c.summary.faultsPerSec!.median <= c.summary.faultsPerSec!.hi);
  }
  t.is(j.comparisons.length, 3 * 3 * 4, 'three variants against linux, at three points, on four metrics');
  const csv = readFileSync(join(dir, 'rwsem.csv'), 'utf8').trim().split('\n');
  t.is(csv[0], 'study,writers,variant,seed,faultsPerSec,accessesPerSec,writerWaitP99Us,readerWaitMaxUs,violations');
  t.is(csv.length, 1 + 3 * 4 * 2);
});

test('--out: an SVG per metric and an HTML page holding them', (t) => {
  const files = readdirSync(join(dir, 'charts')).sort();
  t.deepEqual(files, ['index.html', 'rwsem-accessesPerSec.svg', 'rwsem-faultsPerSec.svg', 'rwsem-readerWaitMaxUs.svg', 'rwsem-writerWaitP99Us.svg']);
  t.true(readFileSync(join(dir, 'charts', 'rwsem-faultsPerSec.svg'), 'utf8').startsWith('<svg'));
});

test.serial('the HTML page opens in headless Chromium without errors, with its four charts drawn', async (t) => {
  if (!existsSync(CHROMIUM)) return t.fail(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
  const browser = new Chromium();
  try {
    const page = await browser.open(join(dir, 'charts', 'index.html'));
    const seen = await page.evaluate<{ figures: number; lines: number; question: string }>(`({ figures: document.querySelectorAll('figure svg').length, lines: document.querySelectorAll('figure svg path').length, question: document.getElementById('question').textContent })`);
    t.is(seen.figures, 4);
    t.true(seen.lines > 4 * 4, 'a line or band per variant in each chart');
    t.regex(seen.question, /mmap_lock wake policy/);
    t.deepEqual(page.errors, []);
  } finally {
    await browser.close();
  }
});

test('--from: the same tables and files again from the --json, with no run', (t) => {
  const again = run(dir, ['study', 'rwsem', '--from', 'rwsem.json', '--out', 'again', '--csv', 'again.csv']);
  t.is(again.status, 0, again.stderr);
  const tables = (s: string): string => s.slice(s.indexOf('faultline study'), s.indexOf('\ncharts:'));
  t.is(tables(again.stdout), tables(r.stdout));
  t.is(readFileSync(join(dir, 'again.csv'), 'utf8'), readFileSync(join(dir, 'rwsem.csv'), 'utf8'));
  t.is(readdirSync(join(dir, 'again')).length, 5);
});

test('bad input: an unknown study, a bad --reps, a --from that is not that study\'s --json: exit 2 and one line', (t) => {
  oneLineError(t, run(dir, ['study', 'nosuch']), /unknown study 'nosuch' \(known: prefault, scaling, shootdown, rwsem\)/);
  oneLineError(t, run(dir, ['study', 'rwsem', '--reps', '0']), /--reps/);
  oneLineError(t, run(dir, ['study', 'scaling', '--from', 'rwsem.json']), /--from rwsem\.json: a rwsem study, not scaling/);
  oneLineError(t, run(dir, ['study', 'rwsem', '--from', 'rwsem.csv']), /--from rwsem\.csv: /);
  oneLineError(t, run(dir, ['study', 'rwsem', '--from', 'nothing.json']), /--from nothing\.json: /);
});
