// The statistics of a study: a median with a bootstrap 95% interval per grid point, and a paired
// t-test between variants (every repetition of a point runs the same seed under each variant, so
// their differences are paired). The t distribution is jStat's; the resampling uses the
// project's seeded generator, so a study's intervals are the same every time it is summarized.
import jStat from 'jstat';
import { Prng } from '../lib/prng.js';

const RESAMPLES = 2000;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The median and a 95% percentile-bootstrap interval for it (one value: the interval is that value). */
export function medianCI(xs: readonly number[], seed = 1): { median: number; lo: number; hi: number } {
  const m = median(xs);
  if (xs.length < 2) return { median: m, lo: m, hi: m };
  const rng = new Prng(seed, 0x57a7);
  const meds = new Float64Array(RESAMPLES);
  const sample = new Array<number>(xs.length);
  for (let r = 0; r < RESAMPLES; r++) {
    for (let i = 0; i < xs.length; i++) sample[i] = xs[rng.below(xs.length)]!;
    meds[r] = median(sample);
  }
  meds.sort();
  return { median: m, lo: meds[Math.floor(0.025 * RESAMPLES)]!, hi: meds[Math.ceil(0.975 * RESAMPLES) - 1]! };
}

export interface Paired {
  /** the mean of b − a over the pairs, relative to a's mean */
  meanChange: number;
  /** two-sided p-value of the paired t-test (1 when every difference is 0) */
  p: number;
  n: number;
}

/** Paired t-test of b against a (a[i] and b[i] ran the same seed). */
export function pairedT(a: readonly number[], b: readonly number[]): Paired {
  const n = Math.min(a.length, b.length);
  const d = Array.from({ length: n }, (_, i) => b[i]! - a[i]!);
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const meanA = a.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const meanChange = meanA === 0 ? 0 : mean / meanA;
  if (n < 2) return { meanChange, p: 1, n };
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  if (sd === 0) return { meanChange, p: mean === 0 ? 1 : 0, n };
  return { meanChange, p: jStat.ttest(mean / (sd / Math.sqrt(n)), n, 2), n };
}
