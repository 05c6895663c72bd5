// Runs a study's grid: every point (one value per axis) × every variant × `reps` repetitions, each
// a stress run whose warm-up is discarded. Repetition r runs seed `seed + r` under every variant
// and at every point, so the variants' runs pair up. Then each point's metrics are summarized
// (median and 95% interval) and every variant is tested against the first, on every metric.
import { makeConfig, type Config } from '../config.js';
import { runStress, type StressResult } from '../harness/stress.js';
import type { ProfileOptions } from '../profile/recorder.js';
import { medianCI, pairedT } from './stats.js';
import type { Setting, Study } from './studies.js';

export interface StudyOptions {
  reps: number;
  seconds: number;
  warmupSeconds: number;
  seed: number;
  /** called after each run: runs done, runs in all */
  onRun?: (done: number, total: number) => void;
  abort?: AbortSignal;
}

export interface StudyRun {
  seed: number;
  metrics: Record<string, number>;
  /** each CPU's accesses and faults per second in the measured window (will-it-scale's per-task
   * rates; absent from files written before it was kept) */
  perCpu?: { accessesPerSec: number; faultsPerSec: number }[];
  /** the run's fault-latency HdrHistogram (compressed, base64), to merge and re-plot */
  latencyHistogram: string;
  violations: number;
}

export interface Summary {
  median: number;
  lo: number;
  hi: number;
}

export interface StudyCell {
  /** the point: axis key → value label */
  point: Record<string, string>;
  variant: string;
  runs: StudyRun[];
  summary: Record<string, Summary>;
}

export interface Comparison {
  point: Record<string, string>;
  metric: string;
  baseline: string;
  variant: string;
  /** mean of the paired differences, relative to the baseline's mean */
  meanChange: number;
  p: number;
  significant: boolean;
}

export interface StudyResult {
  study: string;
  question: string;
  reps: number;
  seconds: number;
  warmupSeconds: number;
  seed: number;
  variants: string[];
  axes: { key: string; label: string; values: string[] }[];
  metrics: { key: string; label: string }[];
  primary: string;
  cells: StudyCell[];
  comparisons: Comparison[];
  /** runs that raised a violation (a study of the correct protocol should have none) */
  violations: number;
  /** stopped early (Ctrl-C): the cells hold what had run */
  interrupted: boolean;
}

const ALPHA = 0.05;
const LOCKSTAT: ProfileOptions = { lockstat: true, lockdep: false, trace: false, holdSample: 64, traceCap: 0 };

/** Every combination of one setting per axis, the first axis varying slowest. */
function points(study: Study): Setting[][] {
  let out: Setting[][] = [[]];
  for (const axis of study.axes) out = out.flatMap((p) => axis.values.map((v) => [...p, v]));
  return out;
}

function configOf(study: Study, settings: readonly Setting[], seed: number, o: StudyOptions): Config {
  let cfg = makeConfig({ ...study.base, seconds: o.seconds, seed });
  for (const s of settings) cfg = makeConfig({ ...cfg, ...(typeof s.cfg === 'function' ? s.cfg(cfg) : s.cfg) });
  return cfg;
}

export async function runStudy(study: Study, o: StudyOptions): Promise<StudyResult> {
  const grid = points(study);
  const total = grid.length * study.variants.length * o.reps;
  const cells: StudyCell[] = [];
  let done = 0;
  let violations = 0;
  let interrupted = false;
  // a discarded run first: the first point should not be the one that pays for the JIT and the
  // start of the worker pool
  if (grid.length > 0 && o.reps > 0) await runStress(configOf(study, [...grid[0]!, study.variants[0]!], o.seed, o), { warmupSeconds: 0, ...(o.abort ? { abort: o.abort } : {}) });
  outer: for (const settings of grid) {
    const point = Object.fromEntries(settings.map((s, i) => [study.axes[i]!.key, s.label]));
    for (const variant of study.variants) {
      const cell: StudyCell = { point, variant: variant.label, runs: [], summary: {} };
      cells.push(cell);
      for (let r = 0; r < o.reps; r++) {
        if (o.abort?.aborted) {
          interrupted = true;
          break outer;
        }
        const seed = o.seed + r;
        const res: StressResult = await runStress(configOf(study, [...settings, variant], seed, o), {
          warmupSeconds: o.warmupSeconds, ...(study.lockstat ? { profile: LOCKSTAT } : {}), ...(o.abort ? { abort: o.abort } : {}),
        });
        violations += res.violations.length > 0 ? 1 : 0;
        cell.runs.push({
          seed, metrics: Object.fromEntries(study.metrics.map((m) => [m.key, m.of(res)])),
          perCpu: res.perThread.slice(0, res.config.cpus).map((p) => ({ accessesPerSec: p.accesses / res.seconds, faultsPerSec: p.faults / res.seconds })),
          latencyHistogram: res.latencyNs.histogram, violations: res.violations.length,
        });
        o.onRun?.(++done, total);
      }
    }
  }
  for (const c of cells) {
    for (const m of study.metrics) c.summary[m.key] = medianCI(c.runs.map((r) => r.metrics[m.key]!));
  }
  return {
    study: study.name, question: study.question, reps: o.reps, seconds: o.seconds, warmupSeconds: o.warmupSeconds, seed: o.seed,
    variants: study.variants.map((v) => v.label),
    axes: study.axes.map((a) => ({ key: a.key, label: a.label, values: a.values.map((v) => v.label) })),
    metrics: study.metrics.map((m) => ({ key: m.key, label: m.label })),
    primary: study.primary, cells, comparisons: compare(study, cells), violations, interrupted,
  };
}

/** Each variant against the baseline (the first), at every point, on every metric. */
function compare(study: Study, cells: readonly StudyCell[]): Comparison[] {
  const out: Comparison[] = [];
  const baseline = study.variants[0]!.label;
  const key = (p: Record<string, string>): string => JSON.stringify(p);
  const base = new Map(cells.filter((c) => c.variant === baseline).map((c) => [key(c.point), c]));
  for (const c of cells) {
    const b = base.get(key(c.point));
    if (c.variant === baseline || !b) continue;
    for (const m of study.metrics) {
      const n = Math.min(b.runs.length, c.runs.length);
      if (n < 2) continue;
      const t = pairedT(b.runs.slice(0, n).map((r) => r.metrics[m.key]!), c.runs.slice(0, n).map((r) => r.metrics[m.key]!));
      out.push({ point: c.point, metric: m.key, baseline, variant: c.variant, meanChange: t.meanChange, p: t.p, significant: t.p < ALPHA });
    }
  }
  return out;
}
