import test from 'ava';
import { LOCKSTAT_COLUMNS, formatLockstat, formatPivot, isTimeColumn, lockstatCsv, lockstatValue, pivotContentions, pivotCsv } from '../../src/report/lockstat_table.js';
import { CONTENTIONS, CONTENTION_ORDER, LOCKSTAT } from './fixture.js';

/** The data rows of the text table: lines whose first word is a class name followed by a colon. */
function dataRows(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((w) => w.length === LOCKSTAT_COLUMNS.length + 1 && w[0]!.endsWith(':'));
}

test('lockstat table: unit header and every column header', (t) => {
  const text = formatLockstat(LOCKSTAT, 'ns');
  const lines = text.split('\n');
  t.regex(lines[0]!, /times in µs, wall clock/);
  t.regex(formatLockstat(LOCKSTAT, 'steps').split('\n')[0]!, /times in logical scheduling steps/);
  const header = lines.find((l) => l.includes('class name'));
  t.truthy(header, 'a header line with the class column');
  const words = header!.trim().split(/\s+/);
  t.deepEqual(words, ['class', 'name', ...LOCKSTAT_COLUMNS]);
  for (const c of ['con-bounces', 'contentions', 'waittime-min', 'waittime-max', 'waittime-total', 'waittime-avg', 'acq-bounces', 'acquisitions', 'holdtime-min', 'holdtime-max', 'holdtime-total', 'holdtime-avg'])
    t.true(header!.includes(c), c);
});

test('lockstat table: class rows in contention order with their numbers; -R and -W rows kept apart', (t) => {
  const rows = dataRows(formatLockstat(LOCKSTAT, 'ns'));
  t.deepEqual(rows.map((r) => r[0]), CONTENTION_ORDER.map((c) => `${c}:`));
  const ptl = rows[0]!;
  // con-bounces .. holdtime-avg for ptl, ns shown in µs: 95 contentions, 190000 ns total wait, 1050 acquisitions at 900 ns each
  t.deepEqual(ptl.slice(1), ['47', '95', '0.12', '47.50', '190.00', '2.00', '350', '1050', '0.08', '250.00', '945.00', '0.90']);
  const r = rows.find((x) => x[0] === 'mmap_lock-R:')!;
  t.is(r[2], '40');
  t.is(r[4], '400.00', 'waittime-max as given');
  t.is(r[6], '25.00', 'waittime-avg as given, not recomputed');
  const w = rows.find((x) => x[0] === 'mmap_lock-W:')!;
  t.is(w[2], '12');
  t.is(w[5], '3600.00');
  t.truthy(rows.find((x) => x[0] === 'i_mmap_rwsem-R:'));
  t.falsy(rows.find((x) => x[0] === 'mmap_lock:'), 'the two modes are not merged');
});

test('lockstat table: wall-clock times are µs with two decimals (as /proc/lock_stat), counts are integers', (t) => {
  const rows = dataRows(formatLockstat(LOCKSTAT, 'ns'));
  for (const cells of rows) {
    const row = LOCKSTAT.find((r) => `${r.class}:` === cells[0])!;
    LOCKSTAT_COLUMNS.forEach((c, i) => {
      const cell = cells[i + 1]!;
      if (isTimeColumn(c)) {
        t.regex(cell, /^\d+\.\d\d$/, `${row.class} ${c}`);
        t.true(Math.abs(Number(cell) - lockstatValue(row, c) / 1000) <= 0.005, `${row.class} ${c}: ${cell}`);
      } else t.is(cell, String(lockstatValue(row, c)), `${row.class} ${c}`);
    });
  }
});

test('lockstat table: fractional steps get two decimals, --top limits rows', (t) => {
  const odd = { ...LOCKSTAT[0]!, class: 'odd', waittimeAvg: 1234.5678 };
  t.true(formatLockstat([odd], 'steps').includes(' 1234.57 '));
  const top2 = dataRows(formatLockstat(LOCKSTAT, 'ns', { top: 2 }));
  t.deepEqual(top2.map((r) => r[0]), ['ptl:', 'mmap_lock-R:']);
  t.regex(formatLockstat([], 'ns'), /no lock activity/);
});

test('lockstat table: top 4 contention points and holder points under each class, by count', (t) => {
  const text = formatLockstat(LOCKSTAT, 'ns');
  const block = text.slice(text.indexOf('ptl:'), text.indexOf('mmap_lock-R:'));
  const points = [...block.matchAll(/^\s*ptl\s+(\d+)\s+\[([^\]]+)\]$/gm)].map((m) => [m[2], Number(m[1])]);
  t.deepEqual(points, [
    ['pte:lock_b', 40],
    ['pte:lock_d', 30],
    ['pte:lock_e', 20],
    ['pte:lock_a', 3],
    ['zap:pte_lock', 60],
    ['insert_pfn:pte_lock', 35],
  ]);
  t.regex(block, /contention points \(where waiters waited\)/);
  t.regex(block, /holder points \(where the holder took it, per contention\)/);
  t.regex(block, /hold times from 200 sampled acquisitions of 1050/);
  const resv = text.slice(text.indexOf('resv:'));
  t.regex(resv, /resv\s+7\s+\[ttm_fault:trylock_resv\]/);
  t.regex(resv, /resv\s+5\s+\[ttm_move:reserve\]/);
});

test('lockstat CSV: a header and one line per row, in contention order', (t) => {
  const lines = lockstatCsv(LOCKSTAT).trimEnd().split('\n');
  t.is(lines.length, LOCKSTAT.length + 1);
  t.is(lines[0], ['class', ...LOCKSTAT_COLUMNS, 'hold-samples'].join(','));
  t.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), CONTENTION_ORDER);
  t.is(lines[1], 'ptl,47,95,120,47500,190000,2000,350,1050,80,250000,945000,900,200');
  for (const l of lines) t.is(l.split(',').length, LOCKSTAT_COLUMNS.length + 2);
  const quoted = lockstatCsv([{ ...LOCKSTAT[0]!, class: 'a,"b"' }]).split('\n')[1]!;
  t.true(quoted.startsWith('"a,""b""",'));
});

test('pivot by point aggregates and sorts by each key', (t) => {
  const by = (sort: Parameters<typeof pivotContentions>[2]) => pivotContentions(CONTENTIONS, 'point', sort);
  t.deepEqual(by('contended'), [
    { key: 'A', contended: 4, waitTotal: 40, waitMax: 10, avgWait: 10 },
    { key: 'B', contended: 2, waitTotal: 105, waitMax: 100, avgWait: 52.5 },
    { key: 'C', contended: 1, waitTotal: 60, waitMax: 60, avgWait: 60 },
  ]);
  t.deepEqual(by('wait_total').map((r) => r.key), ['B', 'C', 'A']);
  t.deepEqual(by('wait_max').map((r) => r.key), ['B', 'C', 'A']);
  t.deepEqual(by('avg_wait').map((r) => r.key), ['C', 'B', 'A']);
});

test('pivot by cpu, instance and class', (t) => {
  t.deepEqual(pivotContentions(CONTENTIONS, 'cpu', 'wait_total'), [
    { key: 'cpu0', contended: 3, waitTotal: 120, waitMax: 100, avgWait: 40 },
    { key: 'cpu1', contended: 4, waitTotal: 85, waitMax: 60, avgWait: 21.25 },
  ]);
  t.deepEqual(pivotContentions(CONTENTIONS, 'cpu', 'contended').map((r) => r.key), ['cpu1', 'cpu0']);
  const inst = pivotContentions(CONTENTIONS, 'instance', 'contended');
  // ties on contended are broken by total wait
  t.deepEqual(inst.map((r) => [r.key, r.contended, r.waitTotal]), [
    ['mm0.mmap_sem', 3, 30],
    ['bo1.resv', 2, 105],
    ['ptl(page 5)', 1, 60],
    ['mm1.mmap_sem', 1, 10],
  ]);
  const cls = pivotContentions(CONTENTIONS, 'class', 'wait_total');
  t.deepEqual(cls.map((r) => [r.key, r.contended, r.waitTotal]), [
    ['resv', 2, 105],
    ['ptl', 1, 60],
    ['mmap_lock-R', 3, 30],
    ['mmap_lock-W', 1, 10],
  ]);
  t.deepEqual(pivotContentions([], 'cpu', 'contended'), []);
});

test('pivot text and CSV', (t) => {
  const rows = pivotContentions(CONTENTIONS, 'point', 'wait_total');
  const text = formatPivot(rows, 'point', 'ns');
  for (const h of ['contended', 'total wait', 'max wait', 'avg wait', 'point']) t.true(text.includes(h), h);
  const keys = text
    .split('\n')
    .slice(3)
    .map((l) => l.trim().split(/\s+/).at(-1));
  t.deepEqual(keys, ['B', 'C', 'A']);
  t.regex(text, /2\s+105 ns\s+100 ns\s+52\.50 ns\s+B/);
  t.regex(formatPivot([{ key: 'k', contended: 1, waitTotal: 2_500_000, waitMax: 1500, avgWait: 2_500_000 }], 'cpu', 'ns'), /2\.50 ms\s+1\.50 us/);
  t.regex(formatPivot(rows, 'point', 'steps'), /105 st/);
  t.notRegex(text, /^pivot:/m, 'nothing dropped, nothing said');
  const csv = pivotCsv(rows, 'point').trimEnd().split('\n');
  t.is(csv[0], 'point,contended,wait_total,wait_max,avg_wait');
  t.deepEqual(csv.slice(1), ['B,2,105,100,52.5', 'C,1,60,60,60', 'A,4,40,10,10']);
});

test('a capped pivot says how much it kept, and the numbers add up to the class table', (t) => {
  const rows = pivotContentions(CONTENTIONS, 'cpu', 'contended');
  const kept = CONTENTIONS.length;
  const text = formatPivot(rows, 'cpu', 'ns', { cap: { perThread: 20_000, dropped: 24_993 }, top: 1 });
  const last = text.split('\n').at(-1)!;
  t.is(last, `pivot: ${kept} of 25,000 contentions kept (cap 20,000 per thread)`, 'counts every row, not only the --top ones');
  t.notRegex(formatPivot(rows, 'cpu', 'ns', { cap: { perThread: 20_000, dropped: 0 } }), /pivot:/);
});
