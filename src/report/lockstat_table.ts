// Lock statistics as text: a /proc/lock_stat-shaped table (one block per class, read and write
// rows of a reader-writer lock kept apart, top waiter and holder points under each row), and
// perf-lock-contention-style pivots of the individual contention records.
import type { ContentionRecord, LockstatRow, ProfileData, TimeUnit } from '../profile/types.js';

/** How many contention points and holder points are listed under each class, as lockstat does. */
export const LOCKSTAT_POINTS = 4;

/** The numeric lockstat columns, in /proc/lock_stat order. */
export const LOCKSTAT_COLUMNS = [
  'con-bounces',
  'contentions',
  'waittime-min',
  'waittime-max',
  'waittime-total',
  'waittime-avg',
  'acq-bounces',
  'acquisitions',
  'holdtime-min',
  'holdtime-max',
  'holdtime-total',
  'holdtime-avg',
] as const;

export type LockstatColumn = (typeof LOCKSTAT_COLUMNS)[number];

/** The field of a LockstatRow behind each column, and whether it is a duration. */
const COLUMN_FIELD: Record<LockstatColumn, { field: keyof LockstatRow; time: boolean }> = {
  'con-bounces': { field: 'conBounces', time: false },
  contentions: { field: 'contentions', time: false },
  'waittime-min': { field: 'waittimeMin', time: true },
  'waittime-max': { field: 'waittimeMax', time: true },
  'waittime-total': { field: 'waittimeTotal', time: true },
  'waittime-avg': { field: 'waittimeAvg', time: true },
  'acq-bounces': { field: 'acqBounces', time: false },
  acquisitions: { field: 'acquisitions', time: false },
  'holdtime-min': { field: 'holdtimeMin', time: true },
  'holdtime-max': { field: 'holdtimeMax', time: true },
  'holdtime-total': { field: 'holdtimeTotal', time: true },
  'holdtime-avg': { field: 'holdtimeAvg', time: true },
};

/** The value of one lockstat column of a row. */
export function lockstatValue(row: LockstatRow, column: LockstatColumn): number {
  return row[COLUMN_FIELD[column].field] as number;
}

export function isTimeColumn(column: LockstatColumn): boolean {
  return COLUMN_FIELD[column].time;
}

/** The unit lock times are shown in: wall-clock ns are shown in µs, as /proc/lock_stat prints them. */
export function timeUnitLabel(unit: TimeUnit): string {
  return unit === 'ns' ? 'µs' : 'steps';
}

/** Words for a time unit, for headers and axis titles. */
export function unitWords(unit: TimeUnit): string {
  return unit === 'ns' ? 'µs, wall clock' : 'logical scheduling steps';
}

/** A profile duration in the unit it is shown in (µs for wall-clock ns). */
export function shownTime(v: number, unit: TimeUnit): number {
  return unit === 'ns' ? v / 1000 : v;
}

/** A count: an integer as is. */
function fmtCount(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n)) : String(n);
}

/** A step count: integers as is, anything else (an average) with two decimals. */
export function fmtTime(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** A profile duration as lockstat prints it: wall-clock ns as µs with two decimals; steps as fmtTime. */
export function fmtLockTime(v: number, unit: TimeUnit): string {
  return unit === 'ns' && Number.isFinite(v) ? shownTime(v, unit).toFixed(2) : fmtTime(v);
}

function fmtColumn(row: LockstatRow, column: LockstatColumn, unit: TimeUnit): string {
  const v = lockstatValue(row, column);
  return isTimeColumn(column) ? fmtLockTime(v, unit) : fmtCount(v);
}

/** Rows by contentions (most first); ties by total wait, then by class name, so the order is stable. */
export function sortLockstat(rows: readonly LockstatRow[]): LockstatRow[] {
  return [...rows].sort((a, b) => b.contentions - a.contentions || b.waittimeTotal - a.waittimeTotal || a.class.localeCompare(b.class));
}

/** The `n` points with the highest counts (ties by label). */
export function topPoints(points: readonly { label: string; count: number }[], n = LOCKSTAT_POINTS): { label: string; count: number }[] {
  return [...points].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, n);
}

/**
 * A /proc/lock_stat-like table. The first line names the time unit (µs with two decimals for
 * wall-clock runs, as the kernel prints them); every row is one class (a reader-writer lock has
 * separate `-R` and `-W` rows), most contended first; under each row its top 4 contention points
 * (where waiters waited) and top 4 holder points (where the holder had taken the lock, one per contention).
 */
export function formatLockstat(rows: LockstatRow[], unit: TimeUnit, opts: { top?: number } = {}): string {
  const sorted = sortLockstat(rows);
  const shown = opts.top !== undefined && opts.top >= 0 ? sorted.slice(0, opts.top) : sorted;
  const classWidth = Math.max('class name'.length, ...shown.map((r) => r.class.length + 1));
  const widths = LOCKSTAT_COLUMNS.map((c) => Math.max(c.length, ...shown.map((r) => fmtColumn(r, c, unit).length)));
  const line = (name: string, cells: string[]): string => [name.padStart(classWidth), ...cells.map((c, i) => c.padStart(widths[i]!))].join('  ');
  const header = line('class name', [...LOCKSTAT_COLUMNS]);
  const rule = '-'.repeat(header.length);
  const out = [
    `lock_stat version 0.4 (faultline): times in ${unitWords(unit)}`,
    rule,
    header,
    rule,
  ];
  if (shown.length === 0) out.push('', '(no lock activity recorded)');
  const pointIndent = ' '.repeat(Math.max(0, classWidth - 12));
  shown.forEach((r, i) => {
    if (i > 0) out.push('.'.repeat(header.length));
    out.push('', line(`${r.class}:`, LOCKSTAT_COLUMNS.map((c) => fmtColumn(r, c, unit))));
    if (r.holdSamples < r.acquisitions) out.push(`${' '.repeat(classWidth)}  (hold times from ${fmtCount(r.holdSamples)} sampled acquisitions of ${fmtCount(r.acquisitions)})`);
    const lists: [string, { label: string; count: number }[]][] = [
      ['contention points (where waiters waited)', topPoints(r.contentionPoints)],
      ['holder points (where the holder took it, per contention)', topPoints(r.holderPoints)],
    ];
    for (const [title, pts] of lists) {
      if (pts.length === 0) continue;
      out.push(`${pointIndent}${'-'.repeat(12)} ${title}`);
      const countWidth = Math.max(...pts.map((p) => fmtCount(p.count).length), widths[1]!);
      for (const p of pts) out.push(`${r.class.padStart(classWidth)}  ${fmtCount(p.count).padStart(countWidth)}  [${p.label}]`);
    }
  });
  return out.join('\n');
}

/** RFC 4180 field quoting. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLines(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** The lockstat table as CSV: a header line, then one line per row (most contended first); raw
 * numbers in the profile's unit (ns or steps), for tools. */
export function lockstatCsv(rows: LockstatRow[]): string {
  return csvLines(
    ['class', ...LOCKSTAT_COLUMNS, 'hold-samples'],
    sortLockstat(rows).map((r) => [r.class, ...LOCKSTAT_COLUMNS.map((c) => lockstatValue(r, c)), r.holdSamples]),
  );
}

export type PivotBy = 'point' | 'cpu' | 'instance' | 'class';
export type PivotSort = 'contended' | 'wait_total' | 'wait_max' | 'avg_wait';

export interface PivotRow {
  key: string;
  contended: number;
  waitTotal: number;
  waitMax: number;
  avgWait: number;
}

function pivotKey(r: ContentionRecord, by: PivotBy): string {
  switch (by) {
    case 'point':
      return r.label;
    case 'cpu':
      return r.cpu;
    case 'instance':
      return r.instance;
    case 'class':
      return r.class;
  }
}

function sortValue(r: PivotRow, sort: PivotSort): number {
  switch (sort) {
    case 'contended':
      return r.contended;
    case 'wait_total':
      return r.waitTotal;
    case 'wait_max':
      return r.waitMax;
    case 'avg_wait':
      return r.avgWait;
  }
}

/**
 * perf-lock-contention-style aggregation: group the contention records by call point, CPU (thread),
 * lock instance or class; count them and sum/max/average their waits; sort descending by `sort`
 * (ties by total wait, then by key).
 */
export function pivotContentions(records: ContentionRecord[], by: PivotBy, sort: PivotSort): PivotRow[] {
  const groups = new Map<string, PivotRow>();
  for (const r of records) {
    const key = pivotKey(r, by);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, contended: 0, waitTotal: 0, waitMax: 0, avgWait: 0 }));
    g.contended++;
    g.waitTotal += r.wait;
    if (r.wait > g.waitMax) g.waitMax = r.wait;
  }
  const rows = [...groups.values()];
  for (const g of rows) g.avgWait = g.contended ? g.waitTotal / g.contended : 0;
  return rows.sort((a, b) => sortValue(b, sort) - sortValue(a, sort) || b.waitTotal - a.waitTotal || a.key.localeCompare(b.key));
}

const PIVOT_KEY_TITLE: Record<PivotBy, string> = { point: 'point', cpu: 'cpu', instance: 'lock instance', class: 'class' };

/** A duration the way perf lock prints it: wall-clock ns auto-scaled to ns/us/ms/s; steps as a plain number. */
export function fmtDuration(v: number, unit: TimeUnit): string {
  if (unit === 'steps') return `${fmtTime(v)} st`;
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)} s`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)} ms`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(2)} us`;
  return `${fmtTime(v)} ns`;
}

/** The line that says a pivot saw only part of the contentions, or null if it saw them all. */
export function pivotCapNote(rows: readonly PivotRow[], cap: { perThread: number; dropped: number } | undefined): string | null {
  if (!cap || cap.dropped <= 0) return null;
  const kept = rows.reduce((n, r) => n + r.contended, 0);
  const n = (x: number): string => x.toLocaleString('en-US');
  return `pivot: ${n(kept)} of ${n(kept + cap.dropped)} contentions kept (cap ${n(cap.perThread)} per thread)`;
}

/**
 * A pivot as text, perf lock contention's columns: contended, total wait, max wait, avg wait, then
 * the key. `cap` (ProfileData.contentionCap) adds a line under the table when records were dropped.
 */
export function formatPivot(rows: PivotRow[], by: PivotBy, unit: TimeUnit, opts: { top?: number; cap?: ProfileData['contentionCap'] } = {}): string {
  const shown = opts.top !== undefined && opts.top >= 0 ? rows.slice(0, opts.top) : rows;
  const heads = ['contended', 'total wait', 'max wait', 'avg wait'];
  const cells = shown.map((r) => [fmtCount(r.contended), fmtDuration(r.waitTotal, unit), fmtDuration(r.waitMax, unit), fmtDuration(r.avgWait, unit)]);
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[], key: string): string => `${c.map((x, i) => x.padStart(widths[i]!)).join('   ')}   ${key}`;
  const out = [`contention by ${PIVOT_KEY_TITLE[by]} (times in ${unit === 'ns' ? 'wall-clock time' : 'logical steps'})`, line(heads, PIVOT_KEY_TITLE[by])];
  out.push('-'.repeat(out[1]!.length));
  if (shown.length === 0) out.push('(no contention recorded)');
  shown.forEach((r, i) => out.push(line(cells[i]!, r.key)));
  const note = pivotCapNote(rows, opts.cap);
  if (note) out.push(note);
  return out.join('\n');
}

/** A pivot as CSV (perf lock -x style, raw numbers in the profile's unit): a header, then one line per row. */
export function pivotCsv(rows: PivotRow[], by: PivotBy): string {
  return csvLines([by, 'contended', 'wait_total', 'wait_max', 'avg_wait'], rows.map((r) => [r.key, r.contended, r.waitTotal, r.waitMax, r.avgWait]));
}
