// The report's charts as Chart.js configurations (JSON: the page script adds the tick callbacks).
// One unit per quantity: lock times in µs (wall clock) or logical steps, fault latency in µs.
import type { LockstatRow, ProfileData, TimeUnit } from '../profile/types.js';
import { shownTime, timeUnitLabel } from './lockstat_table.js';

export interface ChartSpec {
  id: string;
  title: string;
  config: Record<string, unknown>;
  /** by axis id: the unit printed on a log axis's 1, 10, 100 … ticks */
  logUnits?: Record<string, string>;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

const decadeBelow = (v: number): number => 10 ** Math.floor(Math.log10(v) + 1e-9);
const decadeAbove = (v: number): number => 10 ** Math.ceil(Math.log10(v) - 1e-9);

/** Whether positive values spanning more than two decades call for a log axis. */
function wantsLog(values: number[]): boolean {
  const pos = values.filter((v) => v > 0);
  return pos.length > 1 && Math.max(...pos) / Math.min(...pos) > 100;
}

/** A y axis titled with its unit: logarithmic, from a decade, when the values span more than two decades. */
function yScale(values: number[], title: string): Record<string, unknown> {
  if (!wantsLog(values)) return { type: 'linear', beginAtZero: true, title: { display: true, text: title } };
  // from the decade below the smallest value, so that its bar still shows
  return { type: 'logarithmic', min: decadeBelow(Math.min(...values.filter((v) => v > 0))), title: { display: true, text: `${title}, log scale` } };
}

function barChart(id: string, title: string, labels: string[], series: { label: string; data: number[] }[], unit: string): ChartSpec {
  const values = series.flatMap((s) => s.data);
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
        // labels are cut, never wrapped; tilted when crowded
        scales: { x: { type: 'category', ticks: { autoSkip: false, maxRotation: 45 } }, y: yScale(values, unit) },
      },
    },
    ...(wantsLog(values) ? { logUnits: { y: unit === 'count' ? '' : unit } } : {}),
  };
}

export function lockCharts(rows: LockstatRow[], unit: TimeUnit): ChartSpec[] {
  if (rows.length === 0) return [];
  const u = timeUnitLabel(unit);
  const labels = rows.map((r) => r.class);
  const time = (f: (r: LockstatRow) => number): number[] => rows.map((r) => shownTime(f(r), unit));
  return [
    barChart('chart-contentions', 'Contentions per class (count)', labels, [
      { label: 'contentions', data: rows.map((r) => r.contentions) },
      { label: 'con-bounces', data: rows.map((r) => r.conBounces) },
    ], 'count'),
    barChart('chart-wait', `Lock wait per class (${u})`, labels, [
      { label: 'avg wait', data: time((r) => r.waittimeAvg) },
      { label: 'max wait', data: time((r) => r.waittimeMax) },
    ], u),
    barChart('chart-hold', `Lock hold per class (${u})`, labels, [
      { label: 'avg hold', data: time((r) => r.holdtimeAvg) },
      { label: 'max hold', data: time((r) => r.holdtimeMax) },
    ], u),
    barChart('chart-wait-total', `Total wait and hold per class (${u})`, labels, [
      { label: 'total wait', data: time((r) => r.waittimeTotal) },
      { label: 'total hold', data: time((r) => r.holdtimeTotal) },
    ], u),
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

export function latencyCharts(fl: NonNullable<ProfileData['faultLatency']>): ChartSpec[] {
  const us = (ns: number): number => ns / 1000;
  const charts = [
    barChart('chart-latency', `Fault latency percentiles (µs, ${fl.count} faults)`, ['p50', 'p90', 'p99', 'p99.9', 'max'], [
      { label: 'fault latency', data: [fl.p50, fl.p90, fl.p99, fl.p999, fl.max].map(us) },
    ], 'µs'),
  ];
  const hist = fl.histogram.filter((h) => h.count > 0);
  if (hist.length === 0) return charts;
  if (isCumulative(fl)) {
    // (latency, faults at or below it) pairs: the percentile curve on a log latency axis, from decade to decade
    const pts = hist.filter((h) => h.valueNs > 0).map((h) => ({ x: round(us(h.valueNs)), y: round((100 * h.count) / fl.count) }));
    const xs = pts.map((p) => p.x).filter((x) => x > 0);
    const range = xs.length ? { min: decadeBelow(Math.min(...xs)), max: decadeAbove(Math.max(...xs)) } : {};
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
            x: { type: 'logarithmic', ...range, title: { display: true, text: 'fault latency (µs, log scale)' } },
            y: { type: 'linear', min: 0, max: 100, title: { display: true, text: '% of faults' } },
          },
        },
      },
      logUnits: { x: 'µs' },
    });
  } else {
    const bucket = (ns: number): string => `≤ ${round(us(ns))} µs`;
    charts.push(barChart('chart-latency-hist', 'Fault latency distribution (faults per bucket)', hist.map((h) => bucket(h.valueNs)), [{ label: 'faults', data: hist.map((h) => h.count) }], 'count'));
  }
  return charts;
}

export function throughputChart(tp: NonNullable<ProfileData['throughput']>): ChartSpec {
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
        plugins: { title: { display: true, text: 'Throughput over time (per second of wall clock)' } },
        scales: {
          x: { type: 'category', title: { display: true, text: 'time (s)' } },
          y: { position: 'left', beginAtZero: true, title: { display: true, text: 'faults/s, migrations/s' } },
          y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'accesses/s' } },
        },
      },
    },
  };
}

/** Interleaving coverage over schedules: conflict pairs seen, and seen in both orders. */
export function coverageChart(curve: readonly { schedules: number; pairs: number; bothOrders: number }[]): ChartSpec {
  const series = [{ label: 'conflict pairs seen', key: 'pairs' as const }, { label: 'seen in both orders', key: 'bothOrders' as const }];
  return {
    id: 'chart-coverage',
    title: 'Interleaving coverage',
    config: {
      type: 'line',
      data: {
        labels: curve.map((p) => `${p.schedules}`),
        datasets: series.map((s, i) => ({ label: s.label, data: curve.map((p) => p[s.key]), borderColor: PALETTE[i], backgroundColor: PALETTE[i], tension: 0.2, pointRadius: 2 })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: 'Interleaving coverage: pairs of conflicting point labels, over schedules' } },
        scales: {
          x: { type: 'category', title: { display: true, text: 'schedules' } },
          y: { beginAtZero: true, title: { display: true, text: 'pairs' } },
        },
      },
    },
  };
}
